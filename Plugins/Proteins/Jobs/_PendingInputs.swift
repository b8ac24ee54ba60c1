// TEMPORARY stand-ins for P1's FASTA reader and tokenizer; the integrator deletes this file at merge.
import Foundation
import SequoiaKit

struct ProteinRecord {
    let id: String
    let residues: [UInt8]
}

func readProteins(_ path: String) throws -> [ProteinRecord] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw CommandError("\(path): cannot read the FASTA file")
    }
    var records: [ProteinRecord] = []
    var id: String?
    var residues: [UInt8] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix(">") {
            if let id { records.append(ProteinRecord(id: id, residues: residues)) }
            id = String(line.dropFirst().split(separator: " ").first ?? "")
            residues = []
        } else {
            residues += Array(line.utf8).filter { $0 > 32 }
        }
    }
    if let id { records.append(ProteinRecord(id: id, residues: residues)) }
    return records
}

enum ProteinTokenizer {
    static let cls: Int32 = 0, pad: Int32 = 1, eos: Int32 = 2, unk: Int32 = 3, mask: Int32 = 32, vocabularySize = 33
    static let residueIds: ClosedRange<Int32> = 4...28
    private static let letters = Array("LAGVSERTIDPKQNFYMHWCXBUZO".utf8)

    static func encode(_ residues: [UInt8]) throws -> [Int32] {
        var ids: [Int32] = [cls]
        for r in residues {
            let upper = r >= 97 && r <= 122 ? r - 32 : r
            guard let i = letters.firstIndex(of: upper) else {
                throw CommandError("invalid residue letter \(UnicodeScalar(r))")
            }
            ids.append(4 + Int32(i))
        }
        return ids + [eos]
    }
}
