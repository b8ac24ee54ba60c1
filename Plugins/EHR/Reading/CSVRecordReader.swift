import CHTSlib
import Foundation
import SequoiaKit

/// Streams CSV records (RFC 4180: quoted fields with `""` escapes, embedded commas and newlines, LF or
/// CRLF) from plain or gzip text through htslib's BGZF reader, as byte ranges into its own buffer, so a
/// row costs no allocation. SequoiaKit's `CSVTable` builds a String per character and holds the whole
/// table, too slow for MEDS files with millions of rows.
final class CSVRecordReader {
    let path: String
    /// The header's column names.
    private(set) var header: [String] = []
    /// Data rows read so far (1-based number of the current record; 0 before the first).
    private(set) var row = 0

    private let fp: UnsafeMutablePointer<BGZF>
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 20
    private var filled = 0
    private var position = 0
    private var atEnd = false
    /// The current record's fields: start, end (exclusive) in the buffer, and whether `""` must be unescaped.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var escaped: [Bool] = []
    private var scratch: [UInt8] = []

    /// Opens `path` and reads its header row.
    init(_ path: String) throws {
        self.path = path
        let handle: UnsafeMutablePointer<BGZF>? = quietHtslib { bgzf_open(path, "r") }
        guard let handle else { throw CommandError("\(path): cannot open (\(String(cString: strerror(errno))))") }
        if bgzf_compression(handle) == 2, bgzf_check_EOF(handle) == 0 {
            bgzf_close(handle)
            throw CommandError("\(path): truncated or corrupt bgzip data (no EOF block)")
        }
        fp = handle
        buffer = .allocate(capacity: capacity)
        guard try nextRecord() else { throw CommandError("\(path): empty CSV (no header row)") }
        if fieldCount > 0, ends[0] - starts[0] >= 3, buffer[starts[0]] == 0xEF, buffer[starts[0] + 1] == 0xBB,
           buffer[starts[0] + 2] == 0xBF {
            starts[0] += 3
        }
        header = (0..<fieldCount).map { string($0).trimmingCharacters(in: .whitespaces) }
        row = 0
    }

    deinit {
        bgzf_close(fp)
        buffer.deallocate()
    }

    var fieldCount: Int { starts.count }

    /// The index of a header column, or nil.
    func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The index of a required column; the error lists the columns that exist.
    func requireColumn(_ name: String) throws -> Int {
        guard let i = column(name) else {
            throw CommandError("\(path): no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// Advances to the next data row; false at the end of the file. Blank lines are skipped.
    func next() throws -> Bool {
        while try nextRecord() {
            if fieldCount == 1, ends[0] == starts[0], !escaped[0] { continue }
            row += 1
            guard fieldCount == header.count else {
                throw CommandError("\(path): row \(row): \(fieldCount) field(s), the header has \(header.count)")
            }
            return true
        }
        return false
    }

    /// Whether field `i` of the current row is empty (a null in MEDS CSV).
    func isEmpty(_ i: Int) -> Bool { ends[i] == starts[i] }

    /// Field `i`'s bytes (unescaped), valid only inside `body`.
    func withField<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        if !escaped[i] { return try body(UnsafeBufferPointer(start: buffer + starts[i], count: ends[i] - starts[i])) }
        scratch.removeAll(keepingCapacity: true)
        var j = starts[i]
        while j < ends[i] {
            scratch.append(buffer[j])
            j += buffer[j] == UInt8(ascii: "\"") ? 2 : 1
        }
        return try scratch.withUnsafeBufferPointer(body)
    }

    /// Field `i` as a String.
    func string(_ i: Int) -> String { withField(i) { String(decoding: $0, as: UTF8.self) } }

    /// Reads one record's field boundaries; refills (and grows) the buffer when the record runs past
    /// the data read so far, and then parses it again from its start.
    private func nextRecord() throws -> Bool {
        while true {
            if position == filled {
                if atEnd { return false }
                try refill()
                if position == filled { return false }
            }
            if let complete = parseRecord() {
                position = complete
                return true
            }
            if atEnd {
                throw CommandError("\(path): row \(row + 1): unterminated quoted field at the end of the file")
            }
            try refill()
        }
    }

    /// Fields of the record at `position`; returns the offset after it, or nil when the buffer ends first
    /// (unless the file has ended, where the last record needs no newline).
    private func parseRecord() -> Int? {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        var i = position
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while true {
            if i < filled, buffer[i] == quote {
                var j = i + 1, hasEscape = false
                while true {
                    guard j < filled else { return nil }
                    if buffer[j] == quote {
                        if j + 1 < filled, buffer[j + 1] == quote { hasEscape = true; j += 2; continue }
                        if j + 1 == filled, !atEnd { return nil }
                        break
                    }
                    j += 1
                }
                starts.append(i + 1); ends.append(j); escaped.append(hasEscape)
                i = j + 1
                // Anything between the closing quote and the separator is kept out, as lenient readers do.
                while i < filled, buffer[i] != comma, buffer[i] != newline { i += 1 }
            } else {
                var j = i
                while j < filled, buffer[j] != comma, buffer[j] != newline { j += 1 }
                var end = j
                if end > i, buffer[end - 1] == cr, j == filled || buffer[j] == newline { end -= 1 }
                starts.append(i); ends.append(end); escaped.append(false)
                i = j
            }
            if i >= filled {
                return atEnd ? filled : nil
            }
            if buffer[i] == newline { return i + 1 }
            i += 1  // the comma
            if i == filled, !atEnd { return nil }
            if i == filled { starts.append(i); ends.append(i); escaped.append(false); return filled }
        }
    }

    /// Moves the unread tail to the buffer's start (growing it when a single record fills it) and reads more.
    private func refill() throws {
        let tail = filled - position
        if position > 0 {
            if tail > 0 { memmove(buffer, buffer + position, tail) }
            position = 0
            filled = tail
        } else if filled == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: filled)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n = quietHtslib { bgzf_read(fp, buffer + filled, capacity - filled) }
        if n < 0 { throw CommandError("\(path): row \(row + 1): truncated or corrupt compressed data") }
        if n == 0 { atEnd = true }
        filled += n
    }
}

extension CSVRecordReader {
    /// Bytes of the file on disk (compressed, for gzip) read so far, for progress bars.
    var fileOffset: Int { Int(htell(fp.pointee.fp)) }

    /// Field `i` as an integer; nil when empty. A malformed number is an error naming file, row and column.
    func int64(_ i: Int) throws -> Int64? {
        if isEmpty(i) { return nil }
        if let value = withField(i, { CSVRecordReader.parseInt64($0) }) { return value }
        throw badValue(i, "is not an integer")
    }

    /// Field `i` as a number; nil when empty or NaN (pandas and polars spell a missing float so).
    func double(_ i: Int) throws -> Double? {
        if isEmpty(i) { return nil }
        guard let value = withField(i, { CSVRecordReader.parseDouble($0) }) else { throw badValue(i, "is not a number") }
        guard !value.isInfinite else { throw badValue(i, "is not a finite number") }
        return value.isNaN ? nil : value
    }

    /// Field `i` as a MEDS timestamp; nil when empty.
    func time(_ i: Int) throws -> Int64? {
        if isEmpty(i) { return nil }
        if let value = withField(i, { MEDSTime.parse(bytes: $0) }) { return value }
        throw badValue(i, "is not a timestamp (YYYY-MM-DD[ HH:MM:SS[.ffffff]])")
    }

    /// A one-line error for field `i` of the current row.
    func badValue(_ i: Int, _ problem: String) -> CommandError {
        var shown = string(i)
        if shown.count > 40 { shown = String(shown.prefix(40)) + "..." }
        return CommandError("\(path): row \(row), column \(header[i]): '\(shown)' \(problem)")
    }

    static func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0, negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
        }
        guard i < bytes.count else { return nil }
        var value: Int64 = 0
        while i < bytes.count {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times10.subtractingReportingOverflow(Int64(d)) : times10.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// strtod on a NUL-terminated stack copy; the whole field must be the number.
    static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard bytes.count < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text -> Double? in
            guard let p = text.baseAddress else { return nil }
            for (k, b) in bytes.enumerated() { p[k] = CChar(bitPattern: b) }
            p[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(p, &end)
            guard bytes.count > 0, let end, end == p + bytes.count else { return nil }
            return value
        }
    }
}
