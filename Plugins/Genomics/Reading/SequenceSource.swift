import SequoiaKit

/// One named sequence in a genome file (SequoiaKit's FASTA record, under the name Genomics has always used).
public typealias SequenceRecord = FastaRecord

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
        try records.checkFetch(record: record, range: range, file: path)
    }
}
