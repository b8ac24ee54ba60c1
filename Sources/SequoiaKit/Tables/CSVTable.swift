/// A whole CSV or TSV table in memory (plain or gzip), read through `CSVRecordReader`: for the small tables
/// of labels and annotations that jobs join by column name.
public struct CSVTable: Sendable {
    /// Where the table came from, for error messages.
    public let source: String
    /// The header's column names, trimmed of surrounding spaces.
    public let header: [String]
    /// The data rows, each exactly as wide as the header.
    public let rows: [[String]]
    /// The file line on which each data row starts (1-based).
    public let lineNumbers: [Int]

    /// Reads a table file; the delimiter is chosen as `CSVRecordReader` does when none is given.
    public static func read(_ path: String, delimiter: UInt8? = nil) throws -> CSVTable {
        let reader = try CSVRecordReader(path, delimiter: delimiter)
        var rows: [[String]] = [], lines: [Int] = []
        while try reader.next() {
            rows.append((0..<reader.fieldCount).map(reader.string))
            lines.append(reader.line)
        }
        return CSVTable(source: path, header: reader.header, rows: rows, lineNumbers: lines)
    }

    /// The index of a header column; the error lists the columns that exist.
    public func columnIndex(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw TableError(file: source, line: 0, message: "no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return i
    }

    /// The values of one named column, in row order.
    public func column(_ name: String) throws -> [String] {
        let i = try columnIndex(name)
        return rows.map { $0[i] }
    }
}
