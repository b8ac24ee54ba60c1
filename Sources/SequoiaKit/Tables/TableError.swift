/// A problem in a table file (CSV, TSV), reported as one line naming the file, the line and the column.
public struct TableError: Error, Equatable, CustomStringConvertible {
    /// The table's path.
    public let file: String
    /// 1-based line of the record (its first line when a quoted field spans several); 0 for the whole file.
    public let line: Int
    /// The column's header name, when the problem is in one column.
    public let column: String?
    /// What is wrong.
    public let message: String

    public init(file: String, line: Int, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(file):\(line)" : file
        return column.map { "\(place): column '\($0)': \(message)" } ?? "\(place): \(message)"
    }
}
