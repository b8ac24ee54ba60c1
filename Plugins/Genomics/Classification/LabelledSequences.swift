import Foundation
import SequoiaKit

extension LabelledSequenceTable {
    /// Every row's token ids: sequences as written, regions read from `fasta` (required when the table has
    /// regions). An unknown record or a region past its end is a `CommandError` naming the table's line.
    public func tokenizedSequences(fasta: String?) throws -> [[Int32]] {
        var source: SequenceSource?
        return try examples.map { example in
            switch example.input {
            case .sequence(let letters):
                return NucleotideTokenizer.encode(letters)
            case let .region(chrom, start, end):
                if source == nil {
                    guard let fasta else {
                        throw CommandError("\(path):\(example.line): the table gives regions; pass --fasta to read their sequences")
                    }
                    source = try FastaReader.open(fasta)
                }
                let genome = source!
                guard let record = genome.recordIndex(named: chrom) else {
                    throw CommandError("\(path):\(example.line): unknown record '\(chrom)' (not in \(genome.path))")
                }
                let length = genome.records[record].length
                guard end <= length else {
                    throw CommandError("\(path):\(example.line): region \(chrom):\(start)-\(end) ends beyond the record (length \(length))")
                }
                return NucleotideTokenizer.encode(try genome.fetch(record: record, range: start..<end))
            }
        }
    }
}
