import SequoiaKit
/// Checks and folds one record's residue letters, a line at a time (or a whole sequence fetched by faidx),
/// so the streaming and the indexed readers accept exactly the same records.
///
/// Letters: the ESM-2 alphabet (A-Z except J, either case, folded to upper case) plus '.' and '-'; spaces
/// and tabs are skipped; a '*' (stop) is accepted only as the record's last letter and dropped.
struct ProteinResidues {
    let path: String
    let id: String
    private var letters: [UInt8] = []
    private var stopped = false

    init(path: String, id: String) { self.path = path; self.id = id }

    /// Adds the letters of `bytes`, read from line `line` of the file (nil when unknown, as through faidx).
    mutating func add(_ bytes: [UInt8], line: Int?) throws {
        for byte in bytes {
            if stopped {
                throw FastaError(path, record: id, line: line, .residuesAfterStop)
            }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { continue }
            if byte == UInt8(ascii: "*") { stopped = true; continue }
            let upper = byte & 0xDF
            if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(upper), upper != UInt8(ascii: "J") {
                letters.append(upper)
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") {
                letters.append(byte)
            } else {
                throw FastaError(path, record: id, line: line,
                                 .invalidCharacter(byte, position: letters.count + 1, allowed: "A-Z except J, '.', '-', a final '*'"))
            }
        }
    }

    /// The record's residues; none at all is an error at the header's line (nil when unknown).
    func finish(headerLine: Int?) throws -> [UInt8] {
        guard !letters.isEmpty else { throw FastaError(path, record: id, line: headerLine, .noSequence) }
        return letters
    }
}
