import Foundation
import SequoiaKit

/// Random access to a plain or bgzip genome FASTA through SequoiaKit's faidx reader, without loading the genome.
public final class IndexedFasta: SequenceSource, @unchecked Sendable {
    public var path: String { file.path }
    public let records: [SequenceRecord]
    /// The .fai file in use (beside the FASTA, or in the cache folder when that was not writable).
    public var indexPath: String { file.indexPath }
    private let file: FaidxFasta

    /// Opens `path`, validating it and building its index when missing or stale; `cacheDirectory` overrides
    /// `~/.cache/sequoia/faidx`.
    public init(path: String, cacheDirectory: String? = nil) throws {
        file = try FaidxFasta(path: path, cacheDirectory: cacheDirectory) {
            var scanner = FastaScanner(path: path, requireEvenLines: true, keepLetters: false)
            try scanner.run()
        }
        records = file.records
    }

    public func fetch(record: Int, range: Range<Int>) throws -> [UInt8] {
        var letters = try file.fetch(record: record, range: range)
        // An index we did not build came without our validation scan: check letters as they are read.
        let bad = letters.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { NucleotideAlphabet.fold($0, count: buffer.count, into: $0) }
        }
        if let bad {
            throw FastaError(path, record: records[record].name,
                             .invalidCharacter(letters[bad], position: range.lowerBound + bad, allowed: NucleotideAlphabet.allowed))
        }
        return letters
    }
}
