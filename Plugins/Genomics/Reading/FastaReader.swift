import SequoiaKit

/// Opens a genome FASTA file with the right reader for its compression.
public enum FastaReader {
    /// Plain and bgzip files get faidx random access; plain gzip (not indexable) is read into memory.
    public static func open(_ path: String, cacheDirectory: String? = nil,
                            inMemoryLimit: Int = InMemoryFasta.defaultLimit) throws -> SequenceSource {
        switch try FastaCompression(path: path) {
        case .gzip: return try InMemoryFasta(path: path, limit: inMemoryLimit)
        case .plain, .bgzip: return try IndexedFasta(path: path, cacheDirectory: cacheDirectory)
        }
    }
}
