/// A bad protein FASTA file: one line naming the file and, where known, the line and record.
public struct ProteinFastaError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let record: String?
    /// What went wrong, without the location.
    public let message: String

    public init(_ file: String, line: Int? = nil, record: String? = nil, _ message: String) {
        self.file = file; self.line = line; self.record = record; self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += " line \(line)" }
        if let record { place += " record '\(record)'" }
        return place + ": " + message
    }
}
