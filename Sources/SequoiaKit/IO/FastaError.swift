import Foundation

/// A bad FASTA file or request: one line naming the file and, where known, the record and position.
public struct FastaError: Error, CustomStringConvertible, Equatable {
    /// What went wrong, without the location.
    public enum Kind: Equatable {
        case cannotOpen(String)
        case emptyFile
        case notFasta(found: String)
        case emptyName
        case noSequence
        case duplicateName(firstLine: Int)
        case invalidCharacter(UInt8, position: Int, allowed: String)
        case unevenLines(bases: Int, expected: Int)
        case lineAfterShortLine(shortLine: Int)
        case truncated
        case needsBgzip(limit: Int)
        case plainGzip
        case index(String)
        case badRecordIndex(Int, count: Int)
        case rangeBeyondEnd(Range<Int>, length: Int)
        case unknownName
        case residuesAfterStop
    }

    public let file: String
    public let record: String?
    public let line: Int?
    public let kind: Kind

    public init(_ file: String, record: String? = nil, line: Int? = nil, _ kind: Kind) {
        self.file = file; self.record = record; self.line = line; self.kind = kind
    }

    public var description: String {
        var place = file
        if let line { place += " line \(line)" }
        if let record { place += " record '\(record)'" }
        return place + ": " + message
    }

    private var message: String {
        switch kind {
        case .cannotOpen(let why): return "cannot open (\(why))"
        case .emptyFile: return "empty file, no FASTA records"
        case .notFasta(let found): return "not a FASTA file (expected a '>' header line, found \"\(found)\")"
        case .emptyName: return "header line has no record name after '>'"
        case .noSequence: return "record has no sequence"
        case .duplicateName(let first): return "duplicate record name (first seen on line \(first))"
        case .invalidCharacter(let byte, let position, let allowed):
            let shown = (32..<127).contains(byte) ? "'\(Character(UnicodeScalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
            return "invalid character \(shown) at position \(position) (allowed: \(allowed))"
        case .unevenLines(let bases, let expected):
            return "sequence line has \(bases) letters where the record's lines have \(expected); faidx needs equal line lengths (rewrap the file, e.g. `seqkit seq -w 60`)"
        case .lineAfterShortLine(let short):
            return "sequence continues after the shorter or blank line \(short); faidx needs every line of a record but the last to be equally long (rewrap the file, e.g. `seqkit seq -w 60`)"
        case .truncated: return "truncated or corrupt compressed data"
        case .needsBgzip(let limit):
            return "plain gzip larger than \(limit) bytes uncompressed; run bgzip on \(file) to index it"
        case .plainGzip:
            let name = (file as NSString).lastPathComponent
            return "plain gzip cannot be read by random access (htslib's faidx indexes bgzip only); recompress it with bgzip "
                + "(Debian package tabix), e.g. `gzip -dc \(name) | bgzip > \(name).bgz`"
        case .index(let why): return "FASTA index: \(why)"
        case .badRecordIndex(let i, let count): return "record index \(i) out of range (file has \(count) records)"
        case .rangeBeyondEnd(let range, let length):
            return "range \(range.lowerBound)..<\(range.upperBound) is beyond the record (length \(length))"
        case .unknownName: return "no record of that name in the file"
        case .residuesAfterStop: return "residues after the stop '*' (a '*' may only end a sequence)"
        }
    }
}
