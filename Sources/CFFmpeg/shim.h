#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libswscale/swscale.h>
#include <libavutil/imgutils.h>
#include <libavutil/error.h>

// AVERROR(e) and AVERROR_EOF are function-like or composite macros Swift cannot import.
static inline int sequoia_AVERROR(int e) { return AVERROR(e); }
static inline int sequoia_AVERROR_EOF(void) { return AVERROR_EOF; }
static inline int sequoia_AVERROR_EAGAIN(void) { return AVERROR(EAGAIN); }
static inline int64_t sequoia_AV_NOPTS_VALUE(void) { return AV_NOPTS_VALUE; }
// av_err2str is a macro over a compound literal.
static inline void sequoia_av_error_string(int code, char *buffer, size_t size) { av_strerror(code, buffer, size); }
static inline int sequoia_AVERROR_DECODER_NOT_FOUND(void) { return AVERROR_DECODER_NOT_FOUND; }
