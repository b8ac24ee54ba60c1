#include <zlib.h>

/* inflateInit2 is a macro; Swift cannot call it directly. */
static inline int sequoia_inflateInit2(z_stream *stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/* deflateInit2 is a macro too; windowBits 15 + 16 writes a gzip header (used by the round-trip tests). */
static inline int sequoia_deflateInit2(z_stream *stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
