import CHTSlib
import Foundation

/// A plain, gzip or bgzip file read front to back through htslib's BGZF reader, which
/// decompresses all three. The one place files are opened this way: FASTA, CSV and line readers
/// sit on it.
public final class CompressedFile {
    /// Why a file could not be read; the caller names the file (and line) in its own error type.
    public enum Failure: Error, Equatable {
        case cannotOpen(String)
        /// A gzip stream cut short, or a bgzip file without its end-of-file block.
        case truncated
    }

    public let path: String
    /// 0 plain, 1 gzip, 2 bgzip (htslib's codes).
    public let compression: Int32
    private let fp: UnsafeMutablePointer<BGZF>

    /// Opens `path`; a bgzip file missing its EOF block (cut at a block boundary, so it still
    /// decompresses) is refused here, as nothing later would notice.
    public init(_ path: String) throws(Failure) {
        self.path = path
        guard let handle = quietHtslib({ bgzf_open(path, "r") }) else { throw .cannotOpen(String(cString: strerror(errno))) }
        compression = bgzf_compression(handle)
        if compression == 2, bgzf_check_EOF(handle) == 0 {
            bgzf_close(handle)
            throw .truncated
        }
        fp = handle
    }

    deinit { bgzf_close(fp) }

    /// Bytes of the file on disk (compressed, for gzip) read so far, for progress bars.
    public var offset: Int { Int(htell(fp.pointee.fp)) }

    /// Reads up to `count` bytes into `buffer`; 0 at the end of the file.
    public func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws(Failure) -> Int {
        let n = quietHtslib { bgzf_read(fp, buffer, count) }
        guard n >= 0 else { throw .truncated }
        return n
    }
}

/// The lines of a plain, gzip or bgzip text file, without their newline (or CR), numbered from 1.
/// A line is a view into the reader's own buffer, valid until the next call, so reading costs no
/// allocation but for lines that straddle two chunks.
public final class LineReader {
    public let file: CompressedFile
    /// The number of the line `next()` returned last (0 before the first).
    public private(set) var lineNumber = 0
    private let chunk: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var filled = 0
    private var position = 0
    private var atEnd = false
    private var pending: [UInt8] = []

    public init(_ path: String, chunk: Int = 1 << 20) throws(CompressedFile.Failure) {
        file = try CompressedFile(path)
        self.chunk = chunk
        buffer = .allocate(capacity: chunk)
    }

    deinit { buffer.deallocate() }

    public var path: String { file.path }

    /// The next line, or nil at the end of the file; a truncated stream throws `.truncated`.
    public func next<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        pending.removeAll(keepingCapacity: true)
        while true {
            if position == filled {
                if atEnd { break }
                filled = try file.read(into: buffer, count: chunk)
                position = 0
                if filled == 0 { atEnd = true; break }
            }
            let start = buffer + position
            guard let newline = memchr(start, 0x0A, filled - position) else {
                pending.append(contentsOf: UnsafeBufferPointer(start: start, count: filled - position))
                position = filled
                continue
            }
            let end = UnsafeRawPointer(newline) - UnsafeRawPointer(buffer)
            let length = end - position
            position = end + 1
            lineNumber += 1
            if pending.isEmpty { return try body(Self.trimmed(UnsafeBufferPointer(start: start, count: length))) }
            pending.append(contentsOf: UnsafeBufferPointer(start: start, count: length))
            return try pending.withUnsafeBufferPointer { try body(Self.trimmed($0)) }
        }
        // A last line without a newline, or nothing.
        guard !pending.isEmpty else { return nil }
        lineNumber += 1
        return try pending.withUnsafeBufferPointer { try body(Self.trimmed($0)) }
    }

    private static func trimmed(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        line.last == 0x0D ? UnsafeBufferPointer(rebasing: line.dropLast()) : line
    }
}
