/// A FASTA file held in memory, for plain gzip files that faidx cannot index (it needs bgzip's blocks).
/// Letters are stored upper-case folded, back to back, with each record's start offset.
public final class InMemoryFasta: SequenceSource, @unchecked Sendable {
    /// Largest uncompressed size loaded into memory; bigger plain gzip files are asked to be bgzipped.
    public static let defaultLimit = 2 << 30

    public let path: String
    public let records: [SequenceRecord]
    private let letters: [UInt8]
    private let starts: [Int]

    /// Reads and validates the whole file (plain, gzip or bgzip), failing past `limit` letters.
    public init(path: String, limit: Int = InMemoryFasta.defaultLimit) throws {
        var scanner = FastaScanner(path: path, requireEvenLines: false, keepLetters: true, limit: limit)
        try scanner.run()
        self.path = path
        records = scanner.records.map { SequenceRecord(name: $0.name, length: $0.length) }
        letters = scanner.letters
        var offset = 0
        starts = records.map { r in defer { offset += r.length }; return offset }
    }

    public func fetch(record: Int, range: Range<Int>) throws -> [UInt8] {
        _ = try checkFetch(record: record, range: range)
        let base = starts[record]
        return Array(letters[(base + range.lowerBound)..<(base + range.upperBound)])
    }
}
