/// One named sequence in a genome file.
public struct SequenceRecord: Equatable, Codable, Sendable {
    public let name: String
    public let length: Int
    public init(name: String, length: Int) { self.name = name; self.length = length }
}

/// Random access to the letters of a genome's records, whatever the file behind it.
public protocol SequenceSource: AnyObject, Sendable {
    /// The file the records come from (named in errors).
    var path: String { get }
    /// Records in file order; `fetch` takes an index into this list.
    var records: [SequenceRecord] { get }
    /// The letters of `range` (0-based, half-open) of record `record`, upper-case folded.
    func fetch(record: Int, range: Range<Int>) throws -> [UInt8]
}

extension SequenceSource {
    /// Index of the record named `name`, if any.
    public func recordIndex(named name: String) -> Int? { records.firstIndex { $0.name == name } }

    /// Checks a fetch request and returns the record's name, so every source reports the same error.
    func checkFetch(record: Int, range: Range<Int>) throws -> String {
        guard records.indices.contains(record) else {
            throw FastaError(path, .badRecordIndex(record, count: records.count))
        }
        let r = records[record]
        guard range.lowerBound >= 0, range.upperBound <= r.length else {
            throw FastaError(path, record: r.name, .rangeBeyondEnd(range, length: r.length))
        }
        return r.name
    }
}
