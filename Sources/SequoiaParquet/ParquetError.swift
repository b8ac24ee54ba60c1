/// A Parquet file that cannot be read; the message names the file and, where known, the row group,
/// column and page.
public struct ParquetError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
