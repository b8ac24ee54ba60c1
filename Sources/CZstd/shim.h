#include <zstd.h>

/* ZSTD_CONTENTSIZE_UNKNOWN / _ERROR are arithmetic macros Swift cannot import. */
static inline unsigned long long sequoia_ZSTD_CONTENTSIZE_UNKNOWN(void) { return ZSTD_CONTENTSIZE_UNKNOWN; }
static inline unsigned long long sequoia_ZSTD_CONTENTSIZE_ERROR(void) { return ZSTD_CONTENTSIZE_ERROR; }
