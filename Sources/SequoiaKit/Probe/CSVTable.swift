import Foundation

/// A small CSV reader (RFC 4180: a header row, comma separated, double-quoted fields with `""` escapes
/// and embedded commas or newlines, LF or CRLF line ends); errors name the file and line.
public struct CSVTable: Sendable {
    /// Where the table came from, for error messages.
    public let source: String
    /// The header's column names.
    public let header: [String]
    /// The data rows (each padded or checked to the header's width).
    public let rows: [[String]]
    /// The file line on which each data row starts (1-based).
    public let lineNumbers: [Int]

    /// Reads and parses a CSV file.
    public static func read(_ path: String) throws -> CSVTable {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CommandError("\(path): cannot read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CommandError("\(path): not UTF-8 text") }
        return try CSVTable(parsing: text, source: path)
    }

    /// Parses CSV text; `source` names it in errors.
    public init(parsing text: String, source: String) throws {
        self.source = source
        var records: [[String]] = [], starts: [Int] = []
        var field = "", record: [String] = []
        var inQuotes = false, quotedField = false, line = 1, recordStart = 1
        var chars = Array(text.unicodeScalars)[...]
        if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
        var i = chars.startIndex
        func endRecord() {
            record.append(field)
            if !(record.count == 1 && record[0].isEmpty && !quotedField) { records.append(record); starts.append(recordStart) }
            record = []; field = ""; quotedField = false
        }
        while i < chars.endIndex {
            let c = chars[i]
            i += 1
            if inQuotes {
                if c == "\"" {
                    if i < chars.endIndex, chars[i] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !quotedField: inQuotes = true; quotedField = true
            case ",": record.append(field); field = ""; quotedField = false
            case "\r" where i < chars.endIndex && chars[i] == "\n": break
            case "\n": endRecord(); line += 1; recordStart = line
            default: field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw CommandError("\(source):\(recordStart): unterminated quoted field") }
        if !field.isEmpty || !record.isEmpty || quotedField { endRecord() }
        guard let head = records.first else { throw CommandError("\(source): empty CSV (no header row)") }
        header = head.map { $0.trimmingCharacters(in: .whitespaces) }
        for (r, start) in zip(records.dropFirst(), starts.dropFirst()) where r.count != head.count {
            throw CommandError("\(source):\(start): \(r.count) field(s), the header has \(head.count)")
        }
        rows = Array(records.dropFirst())
        lineNumbers = Array(starts.dropFirst())
    }

    /// The index of a header column; the error lists the columns that exist.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw CommandError("\(source):1: no column '\(name)' in the header (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// The values of one named column, in row order.
    public func column(_ name: String) throws -> [String] {
        let i = try columnIndex(name)
        return rows.map { $0[i] }
    }
}
