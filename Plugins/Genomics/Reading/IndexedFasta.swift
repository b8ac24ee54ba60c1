import CHTSlib
import Foundation
import SequoiaKit

/// Random access to a plain or bgzip FASTA through htslib's faidx, without loading the genome.
public final class IndexedFasta: SequenceSource, @unchecked Sendable {
    public let path: String
    public let records: [SequenceRecord]
    /// The .fai file in use (beside the FASTA, or in the cache folder when that was not writable).
    public let indexPath: String
    private let fai: OpaquePointer
    // One faidx handle shares a file position (and bgzip block cache) between fetches.
    private let lock = NSLock()

    /// Opens `path`, building its index when missing or stale; `cacheDirectory` overrides `~/.cache/sequoia/faidx`.
    public init(path: String, bgzip: Bool, cacheDirectory: String? = nil) throws {
        let index = try FaidxIndex.locate(path: path, bgzip: bgzip, cacheRoot: cacheDirectory)
        guard let fai = quietHtslib({ fai_load3(path, index.fai, index.gzi, 0) }) else {
            throw FastaError(path, .index("htslib could not load \(index.fai)"))
        }
        guard faidx_nseq(fai) == index.entries.count else {
            fai_destroy(fai)
            throw FastaError(path, .index("\(index.fai) lists duplicate record names"))
        }
        if let empty = index.entries.first(where: { $0.length == 0 }) {
            fai_destroy(fai)
            throw FastaError(path, record: empty.name, .noSequence)
        }
        self.path = path
        self.fai = fai
        indexPath = index.fai
        records = index.entries.map { SequenceRecord(name: $0.name, length: $0.length) }
    }

    deinit { fai_destroy(fai) }

    public func fetch(record: Int, range: Range<Int>) throws -> [UInt8] {
        let name = try checkFetch(record: record, range: range)
        if range.isEmpty { return [] }
        var got: hts_pos_t = 0
        let raw = lock.withLock { quietHtslib {
            faidx_fetch_seq64(fai, name, hts_pos_t(range.lowerBound), hts_pos_t(range.upperBound - 1), &got)
        } }
        guard let raw else { throw FastaError(path, record: name, .index("faidx could not read \(range)")) }
        defer { free(raw) }
        guard Int(got) == range.count else { throw FastaError(path, record: name, .truncated) }
        // An index we did not build came without our validation scan: check letters as they are read.
        var bad: Int?
        let out = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, count in
            raw.withMemoryRebound(to: UInt8.self, capacity: range.count) { letters in
                bad = NucleotideAlphabet.fold(letters, count: range.count, into: buffer.baseAddress)
            }
            count = bad == nil ? range.count : 0
        }
        if let bad {
            throw FastaError(path, record: name, .invalidCharacter(UInt8(bitPattern: raw[bad]), position: range.lowerBound + bad))
        }
        return out
    }
}
