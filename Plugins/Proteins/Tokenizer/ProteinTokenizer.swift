/// A bad residue letter for the ESM-2 vocabulary.
public struct ProteinTokenizerError: Error, CustomStringConvertible, Equatable {
    public let letter: UInt8
    public let position: Int
    public var description: String {
        let shown = (32..<127).contains(letter) ? "'\(Character(UnicodeScalar(letter)))'" : "byte 0x\(String(letter, radix: 16))"
        return "invalid residue \(shown) at position \(position + 1) (allowed: A-Z except J, '.', '-')"
    }
}

/// The ESM-2 vocabulary LC-PLM uses, with its fixed ids, so LC-PLM checkpoints work unchanged:
/// 0 <cls>, 1 <pad>, 2 <eos>, 3 <unk>, 4-23 the amino acids in ESM-2's order (LAGVSERTIDPKQNFYMHWC),
/// 24 X, 25 B, 26 U, 27 Z, 28 O, 29 '.', 30 '-', 31 <null_1>, 32 <mask>.
public enum ProteinTokenizer {
    /// Every token's text, indexed by id.
    public static let tokens: [String] = ["<cls>", "<pad>", "<eos>", "<unk>"]
        + "LAGVSERTIDPKQNFYMHWCXBUZO.-".map { String($0) } + ["<null_1>", "<mask>"]
    public static let cls = id("<cls>"), pad = id("<pad>"), eos = id("<eos>"), unk = id("<unk>"), mask = id("<mask>")
    /// Tokens in the vocabulary (a model pads its embedding table beyond this).
    public static var vocabularySize: Int { tokens.count }
    /// The residue letters' ids: the 20 standard amino acids, then X B U Z O.
    public static let residueIds: ClosedRange<Int32> = 4...28

    private static func id(_ token: String) -> Int32 { Int32(tokens.firstIndex(of: token)!) }

    /// Letter (upper case) -> id, -1 where not a residue letter.
    private static let table: [Int32] = {
        var t = [Int32](repeating: -1, count: 256)
        for (offset, letter) in "LAGVSERTIDPKQNFYMHWCXBUZO.-".utf8.enumerated() {
            t[Int(letter)] = Int32(4 + offset)
            if (65...90).contains(letter) { t[Int(letter) | 0x20] = Int32(4 + offset) }
        }
        return t
    }()

    /// <cls> residues... <eos>; lower case is folded to upper case. Throws on any other letter.
    public static func encode(_ residues: [UInt8]) throws -> [Int32] {
        var ids = [Int32](repeating: eos, count: residues.count + 2)
        ids[0] = cls
        try table.withUnsafeBufferPointer { t in
            for (i, letter) in residues.enumerated() {
                let id = t[Int(letter)]
                guard id >= 0 else { throw ProteinTokenizerError(letter: letter, position: i) }
                ids[i + 1] = id
            }
        }
        return ids
    }

    /// The ids as text: residue letters as themselves, special tokens in angle brackets.
    public static func decode(_ ids: [Int32]) -> String {
        ids.map { (0..<Int32(tokens.count)).contains($0) ? tokens[Int($0)] : "<\($0)>" }.joined()
    }
}
