import Foundation

/// The records of a CSV or TSV file (RFC 4180 quoting: fields in double quotes may hold the delimiter, line
/// breaks and doubled quotes; LF or CRLF line ends). Blank lines are skipped and a UTF-8 BOM is dropped;
/// errors are `TableError`s naming the file, the line and the field.
public struct CSVTable: Sendable {
    /// Where the table came from, for error messages.
    public let source: String
    /// The header's column names, trimmed of surrounding spaces.
    public let header: [String]
    /// The data rows, each exactly as wide as the header.
    public let rows: [[String]]
    /// The file line on which each data row starts (1-based).
    public let lineNumbers: [Int]

    /// Reads a table file. The delimiter is a tab for `.tsv`/`.tab` files, a comma for `.csv`, and otherwise
    /// a tab when the header line has one.
    public static func read(_ path: String) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TableError(file: path, line: 0, message: "cannot read the file")
        }
        let bytes = [UInt8](data)
        let tab = UInt8(ascii: "\t"), comma = UInt8(ascii: ",")
        let delimiter: UInt8
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "tsv", "tab": delimiter = tab
        case "csv": delimiter = comma
        default: delimiter = bytes.prefix { $0 != UInt8(ascii: "\n") }.contains(tab) ? tab : comma
        }
        return try CSVTable(bytes: bytes, delimiter: delimiter, source: path)
    }

    /// Parses comma-separated text; `source` names it in errors.
    public init(parsing text: String, source: String) throws {
        try self.init(bytes: Array(text.utf8), delimiter: UInt8(ascii: ","), source: source)
    }

    /// Parses the bytes of a table separated by `delimiter`; `source` names it in errors.
    public init(bytes: [UInt8], delimiter: UInt8, source: String) throws {
        self.source = source
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var records: [[String]] = [], starts: [Int] = []
        var fields: [String] = [], field: [UInt8] = []
        var line = 1, recordLine = 1, quoteLine = 0
        var inQuotes = false, fieldWasQuoted = false
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            let quotedEmpty = fieldWasQuoted
            endField()
            if fields != [""] || quotedEmpty { records.append(fields); starts.append(recordLine) }
            fields.removeAll()
        }
        func failure(_ message: String) -> TableError {
            TableError(file: source, line: line, message: "field \(fields.count + 1): \(message)")
        }

        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if inQuotes {
                if byte == quote {
                    if i < bytes.count && bytes[i] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                endField()
            case newline:
                endRecord()
                line += 1
                recordLine = line
            case carriageReturn where i < bytes.count && bytes[i] == newline:
                continue
            case quote:
                guard field.isEmpty && !fieldWasQuoted else { throw failure("a quote inside an unquoted field") }
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            default:
                if fieldWasQuoted { throw failure("text after a closing quote") }
                field.append(byte)
            }
        }
        if inQuotes {
            throw TableError(file: source, line: quoteLine, message: "field \(fields.count + 1): quote never closed")
        }
        if !fields.isEmpty || !field.isEmpty || fieldWasQuoted { endRecord() }

        guard let head = records.first else { throw TableError(file: source, line: 0, message: "empty file: no header row") }
        for (record, start) in zip(records.dropFirst(), starts.dropFirst()) where record.count != head.count {
            throw TableError(file: source, line: start, message: "\(record.count) fields where the header has \(head.count)")
        }
        header = head.map { $0.trimmingCharacters(in: .whitespaces) }
        rows = Array(records.dropFirst())
        lineNumbers = Array(starts.dropFirst())
    }

    /// The index of a header column; the error lists the columns that exist.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw TableError(file: source, line: 1, column: name,
                             message: "missing from the header (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// The values of one named column, in row order.
    public func column(_ name: String) throws -> [String] {
        let i = try columnIndex(name)
        return rows.map { $0[i] }
    }
}
