import Foundation

/// Streams the records of a CSV or TSV file (RFC 4180: quoted fields with `""` escapes, embedded
/// delimiters and newlines, LF or CRLF), plain or gzip, through htslib's BGZF reader, as byte ranges
/// into its own buffer, so a row costs no allocation and a table of millions of rows never sits in memory.
/// Blank lines are skipped and a UTF-8 BOM is dropped. Malformed records are `TableError`s naming the
/// file, the line and the field.
public final class CSVRecordReader {
    public let path: String
    /// The field separator: a comma, or a tab.
    public private(set) var delimiter = UInt8(ascii: ",")
    /// The header's column names, trimmed of surrounding spaces.
    public private(set) var header: [String] = []
    /// Data rows read so far (1-based number of the current record; 0 before the first).
    public private(set) var row = 0
    /// The file line on which the current record starts (1-based).
    public private(set) var line = 0
    /// The line the next record starts on (quoted fields may span lines).
    private var nextLine = 1

    private let file: CompressedFile
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity = 1 << 20
    private var filled = 0
    /// Newlines inside the quoted fields of the record being parsed.
    private var newlinesInQuotes = 0
    private var position = 0
    private var atEnd = false
    /// The current record's fields: start, end (exclusive) in the buffer, and whether `""` must be unescaped.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var escaped: [Bool] = []
    private var quoted: [Bool] = []
    private var scratch: [UInt8] = []

    /// Opens `path` and reads its header row. Without a `delimiter` it is a tab for `.tsv`/`.tab` files
    /// (also gzipped), a comma for `.csv`, and otherwise a tab when the header line has one.
    public init(_ path: String, delimiter: UInt8? = nil) throws {
        self.path = path
        do {
            file = try CompressedFile(path)
        } catch .cannotOpen(let reason) {
            throw TableError(file: path, line: 0, message: "cannot open (\(reason))")
        } catch {
            throw TableError(file: path, line: 0, message: "truncated or corrupt bgzip data (no EOF block)")
        }
        buffer = .allocate(capacity: capacity)
        try refill()
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        let name = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
        if let delimiter {
            self.delimiter = delimiter
        } else if name.hasSuffix(".tsv") || name.hasSuffix(".tab") {
            self.delimiter = UInt8(ascii: "\t")
        } else if !name.hasSuffix(".csv") {
            let firstLine = UnsafeBufferPointer(start: buffer + position, count: filled - position).prefix { $0 != UInt8(ascii: "\n") }
            self.delimiter = firstLine.contains(UInt8(ascii: "\t")) ? UInt8(ascii: "\t") : UInt8(ascii: ",")
        }
        guard try nextRecord() else { throw TableError(file: path, line: 0, message: "empty file: no header row") }
        header = (0..<fieldCount).map { string($0).trimmingCharacters(in: .whitespaces) }
        row = 0
    }

    deinit {
        buffer.deallocate()
    }

    public var fieldCount: Int { starts.count }

    /// The index of a header column, or nil.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The index of a required column; the error lists the columns that exist.
    public func requireColumn(_ name: String) throws -> Int {
        guard let i = column(name) else {
            throw TableError(file: path, line: 0, message: "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// Advances to the next data row; false at the end of the file. Blank lines are skipped.
    public func next() throws -> Bool {
        while try nextRecord() {
            if fieldCount == 1, ends[0] == starts[0], !quoted[0] { continue }
            row += 1
            guard fieldCount == header.count else {
                throw TableError(file: path, line: line, message: "\(fieldCount) fields where the header has \(header.count)")
            }
            return true
        }
        return false
    }

    /// Whether field `i` of the current row is empty (a null in MEDS CSV).
    public func isEmpty(_ i: Int) -> Bool { ends[i] == starts[i] }

    /// Field `i`'s bytes (unescaped), valid only inside `body`.
    public func withField<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
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
    public func string(_ i: Int) -> String { withField(i) { String(decoding: $0, as: UTF8.self) } }

    /// Reads one record's field boundaries; refills (and grows) the buffer when the record runs past
    /// the data read so far, and then parses it again from its start.
    private func nextRecord() throws -> Bool {
        while true {
            if position == filled {
                if atEnd { return false }
                try refill()
                if position == filled { return false }
            }
            if let complete = try parseRecord() {
                line = nextLine
                nextLine += 1 + newlinesInQuotes
                position = complete
                return true
            }
            if atEnd {
                throw TableError(file: path, line: nextLine, message: "field \(starts.count + 1): quote never closed")
            }
            try refill()
        }
    }

    /// Fields of the record at `position`; returns the offset after it, or nil when the buffer ends first
    /// (unless the file has ended, where the last record needs no newline).
    private func parseRecord() throws -> Int? {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        newlinesInQuotes = 0
        var i = position
        let quote = UInt8(ascii: "\""), comma = delimiter, newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        func malformed(_ problem: String) -> TableError {
            TableError(file: path, line: nextLine + newlinesInQuotes, message: "field \(starts.count + 1): \(problem)")
        }
        while true {
            if i < filled, buffer[i] == quote {
                let contentStart = i + 1
                var j = contentStart, hasEscape = false, newlines = 0
                while true {
                    guard j < filled else { return nil }
                    if buffer[j] == quote {
                        if j + 1 < filled, buffer[j + 1] == quote { hasEscape = true; j += 2; continue }
                        if j + 1 == filled, !atEnd { return nil }
                        break
                    }
                    if buffer[j] == newline { newlines += 1 }
                    j += 1
                }
                i = j + 1
                if i < filled, buffer[i] == cr, (i + 1 < filled && buffer[i + 1] == newline) || (i + 1 == filled && atEnd) { i += 1 }
                if i < filled, buffer[i] != comma, buffer[i] != newline {
                    if i + 1 == filled, !atEnd { return nil }
                    newlinesInQuotes += newlines
                    throw malformed("text after a closing quote")
                }
                newlinesInQuotes += newlines
                starts.append(contentStart); ends.append(j); escaped.append(hasEscape); quoted.append(true)
            } else {
                var j = i
                while j < filled, buffer[j] != comma, buffer[j] != newline {
                    if buffer[j] == quote { throw malformed("a quote inside an unquoted field") }
                    j += 1
                }
                var end = j
                if end > i, buffer[end - 1] == cr, j == filled || buffer[j] == newline { end -= 1 }
                starts.append(i); ends.append(end); escaped.append(false); quoted.append(false)
                i = j
            }
            if i >= filled {
                return atEnd ? filled : nil
            }
            if buffer[i] == newline { return i + 1 }
            i += 1  // the comma
            if i == filled, !atEnd { return nil }
            if i == filled { starts.append(i); ends.append(i); escaped.append(false); quoted.append(false); return filled }
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
        guard let n = try? file.read(into: buffer + filled, count: capacity - filled) else {
            throw TableError(file: path, line: nextLine, message: "truncated or corrupt compressed data")
        }
        if n == 0 { atEnd = true }
        filled += n
    }
}

extension CSVRecordReader {
    /// Bytes of the file on disk (compressed, for gzip) read so far, for progress bars.
    public var fileOffset: Int { file.offset }

    /// Field `i` as an integer; nil when empty. A malformed number is an error naming file, row and column.
    public func int64(_ i: Int) throws -> Int64? {
        if isEmpty(i) { return nil }
        if let value = withField(i, { CSVRecordReader.parseInt64($0) }) { return value }
        throw badValue(i, "is not an integer")
    }

    /// Field `i` as a number; nil when empty or NaN (pandas and polars spell a missing float so).
    public func double(_ i: Int) throws -> Double? {
        if isEmpty(i) { return nil }
        guard let value = withField(i, { CSVRecordReader.parseDouble($0) }) else { throw badValue(i, "is not a number") }
        guard !value.isInfinite else { throw badValue(i, "is not a finite number") }
        return value.isNaN ? nil : value
    }

    /// A one-line error for field `i` of the current row.
    public func badValue(_ i: Int, _ problem: String) -> CommandError {
        var shown = string(i)
        if shown.count > 40 { shown = String(shown.prefix(40)) + "..." }
        return CommandError("\(path): row \(row), column \(header[i]): '\(shown)' \(problem)")
    }

    public static func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
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
    public static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
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
