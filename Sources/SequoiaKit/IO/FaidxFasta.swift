import CHTSlib
import Foundation

/// Random access to a plain or bgzip FASTA file through htslib's faidx, whatever its letters: records by
/// name or number, whole or a region, without reading the rest of the file. The index (.fai, plus .gzi for
/// bgzip) is built on first use beside the file, or in a per-user cache when that folder is not writable.
/// Fetched bytes are as stored (line breaks removed, case kept): checking letters is the caller's part.
public final class FaidxFasta: @unchecked Sendable {
    public let path: String
    public let compression: FastaCompression
    /// Records in file order.
    public let records: [FastaRecord]
    /// The .fai file in use (beside the FASTA, or in the cache folder when that was not writable).
    public let indexPath: String
    private let fai: OpaquePointer
    private let numbers: [String: Int]
    // One faidx handle shares a file position (and bgzip block cache) between fetches.
    private let lock = NSLock()

    /// Opens `path` (plain or bgzip; plain gzip is a `FastaError` asking for bgzip), building its index when
    /// missing or stale; `validate` runs before a build, `cacheDirectory` overrides `~/.cache/sequoia/faidx`.
    public init(path: String, cacheDirectory: String? = nil, validate: () throws -> Void = {}) throws {
        let compression = try FastaCompression(path: path)
        if compression == .gzip { throw FastaError(path, .plainGzip) }
        let index = try FaidxIndex.locate(path: path, bgzip: compression == .bgzip, cacheRoot: cacheDirectory, validate: validate)
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
        self.compression = compression
        self.fai = fai
        indexPath = index.fai
        records = index.entries.map { FastaRecord(name: $0.name, length: $0.length) }
        numbers = Dictionary(records.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    deinit { fai_destroy(fai) }

    /// The number of the record named `name`, if any.
    public func recordIndex(named name: String) -> Int? { numbers[name] }

    /// The whole record named `name`; an unknown name is a `FastaError` naming it.
    public func fetch(_ name: String) throws -> [UInt8] {
        guard let record = numbers[name] else { throw FastaError(path, record: name, .unknownName) }
        return try fetch(record: record, range: 0..<records[record].length)
    }

    /// The letters of `range` (0-based, half-open) of record `name`.
    public func fetch(_ name: String, range: Range<Int>) throws -> [UInt8] {
        guard let record = numbers[name] else { throw FastaError(path, record: name, .unknownName) }
        return try fetch(record: record, range: range)
    }

    /// The letters of `range` (0-based, half-open) of record number `record`.
    public func fetch(record: Int, range: Range<Int>) throws -> [UInt8] {
        let name = try records.checkFetch(record: record, range: range, file: path)
        if range.isEmpty { return [] }
        var got: hts_pos_t = 0
        let raw = lock.withLock { quietHtslib {
            faidx_fetch_seq64(fai, name, hts_pos_t(range.lowerBound), hts_pos_t(range.upperBound - 1), &got)
        } }
        guard let raw else { throw FastaError(path, record: name, .index("faidx could not read \(range)")) }
        defer { free(raw) }
        guard Int(got) == range.count else { throw FastaError(path, record: name, .truncated) }
        return raw.withMemoryRebound(to: UInt8.self, capacity: range.count) { Array(UnsafeBufferPointer(start: $0, count: range.count)) }
    }
}
