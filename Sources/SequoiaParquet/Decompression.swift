import CSnappy
import CZlib
import CZstd

/// Page decompression with the system codec libraries. The output size is the page header's
/// uncompressed size, and a codec that produces any other size is treated as corrupt data.
enum Decompression {
    /// Pages larger than this only come from a corrupt header; refusing them avoids a huge allocation.
    static let maxPageSize = 1 << 30

    /// Decompresses `input` into a new buffer of exactly `size` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, codec raw: Int32, size: Int) throws -> [UInt8] {
        guard let codec = CompressionCodec(rawValue: raw) else { throw ParquetError("unknown compression codec \(raw)") }
        guard size <= maxPageSize else { throw ParquetError("uncompressed page size \(size) is implausible") }
        var output = [UInt8](repeating: 0, count: size)
        try output.withUnsafeMutableBytes { out in
            switch codec {
            case .uncompressed:
                guard input.count == size else {
                    throw ParquetError("uncompressed page holds \(input.count) bytes, header says \(size)")
                }
                if size > 0 { out.copyMemory(from: input) }
            case .snappy: try snappy(input, into: out)
            case .gzip: try gzip(input, into: out)
            case .zstd: try zstd(input, into: out)
            case .lzo, .brotli, .lz4, .lz4Raw:
                throw ParquetError("compression codec \(codec) is not supported (use none, snappy, gzip or zstd)")
            }
        }
        return output
    }

    private static func snappy(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws {
        let source = input.baseAddress?.assumingMemoryBound(to: CChar.self)
        var length = 0
        guard snappy_uncompressed_length(source, input.count, &length) == SNAPPY_OK, length == out.count else {
            throw ParquetError("snappy data is corrupt")
        }
        guard length > 0 else { return }
        guard snappy_uncompress(source, input.count, out.baseAddress!.assumingMemoryBound(to: CChar.self), &length) == SNAPPY_OK,
              length == out.count else { throw ParquetError("snappy data is corrupt") }
    }

    private static func zstd(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws {
        // A zero-capacity output still needs a valid pointer for libzstd.
        var empty: UInt8 = 0
        let written = withUnsafeMutablePointer(to: &empty) { fallback in
            ZSTD_decompress(out.baseAddress ?? UnsafeMutableRawPointer(fallback), out.count, input.baseAddress, input.count)
        }
        if ZSTD_isError(written) != 0 {
            throw ParquetError("zstd data is corrupt (\(String(cString: ZSTD_getErrorName(written))))")
        }
        guard written == out.count else { throw ParquetError("zstd page decompresses to \(written) bytes, header says \(out.count)") }
    }

    private static func gzip(_ input: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws {
        var stream = z_stream()
        // 15 + 32: the largest window, with zlib or gzip headers detected automatically.
        guard sequoia_inflateInit2(&stream, 15 + 32) == Z_OK else { throw ParquetError("zlib failed to initialise") }
        defer { inflateEnd(&stream) }
        var empty: UInt8 = 0
        let status: Int32 = withUnsafeMutablePointer(to: &empty) { fallback in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(fallback))
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? fallback
            stream.avail_out = UInt32(out.count)
            return inflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else {
            throw ParquetError(status == Z_BUF_ERROR && stream.avail_out == 0
                ? "gzip page decompresses to more than the header's \(out.count) bytes"
                : "gzip data is corrupt (zlib status \(status))")
        }
        guard Int(stream.total_out) == out.count else {
            throw ParquetError("gzip page decompresses to \(stream.total_out) bytes, header says \(out.count)")
        }
    }
}
