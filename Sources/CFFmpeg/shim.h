#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/imgutils.h>
#include <libavutil/error.h>

// AVERROR(e) and AVERROR_EOF are function-like or composite macros Swift cannot import.
static inline int sequoia_AVERROR(int e) { return AVERROR(e); }
static inline int sequoia_AVERROR_EOF(void) { return AVERROR_EOF; }
static inline int sequoia_AVERROR_EAGAIN(void) { return AVERROR(EAGAIN); }
