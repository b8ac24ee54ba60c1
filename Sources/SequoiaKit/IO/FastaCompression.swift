import CHTSlib
import Foundation

/// How a FASTA file is stored, which decides whether faidx can read it by random access.
public enum FastaCompression: Sendable {
    case plain, gzip, bgzip

    /// Looks at the file's first bytes; throws a `FastaError` for a missing, irregular or empty file.
    public init(path: String) throws {
        let stamp = try FileStamp(path)
        guard stamp.isRegular else { throw FastaError(path, .cannotOpen("not a regular file")) }
        guard stamp.size > 0 else { throw FastaError(path, .emptyFile) }
        guard let fp = quietHtslib({ bgzf_open(path, "r") }) else {
            throw FastaError(path, .cannotOpen(String(cString: strerror(errno))))
        }
        defer { bgzf_close(fp) }
        switch bgzf_compression(fp) {
        case 1: self = .gzip
        case 2: self = .bgzip
        default: self = .plain
        }
    }
}
