import CHTSlib
import Foundation

/// Opens a genome FASTA file with the right reader for its compression.
public enum FastaReader {
    /// Plain and bgzip files get faidx random access; plain gzip (not indexable) is read into memory.
    public static func open(_ path: String, cacheDirectory: String? = nil,
                            inMemoryLimit: Int = InMemoryFasta.defaultLimit) throws -> SequenceSource {
        let stamp = try FileStamp(path)
        guard stamp.isRegular else { throw FastaError(path, .cannotOpen("not a regular file")) }
        guard stamp.size > 0 else { throw FastaError(path, .emptyFile) }
        guard let fp = bgzf_open(path, "r") else {
            throw FastaError(path, .cannotOpen(String(cString: strerror(errno))))
        }
        let compression = bgzf_compression(fp)
        bgzf_close(fp)
        switch compression {
        case 1: return try InMemoryFasta(path: path, limit: inMemoryLimit)
        case 2: return try IndexedFasta(path: path, bgzip: true, cacheDirectory: cacheDirectory)
        default: return try IndexedFasta(path: path, bgzip: false, cacheDirectory: cacheDirectory)
        }
    }
}
