/// One named sequence of a FASTA file: its name (the header's first word) and length in letters.
public struct FastaRecord: Equatable, Codable, Sendable {
    public let name: String
    public let length: Int
    public init(name: String, length: Int) { self.name = name; self.length = length }
}

extension Array where Element == FastaRecord {
    /// Checks a request for `range` (0-based, half-open) of record number `record` of `file`; returns the
    /// record's name. Every reader checks through here so all report the same error.
    public func checkFetch(record: Int, range: Range<Int>, file: String) throws -> String {
        guard indices.contains(record) else { throw FastaError(file, .badRecordIndex(record, count: count)) }
        let r = self[record]
        guard range.lowerBound >= 0, range.upperBound <= r.length else {
            throw FastaError(file, record: r.name, .rangeBeyondEnd(range, length: r.length))
        }
        return r.name
    }
}
