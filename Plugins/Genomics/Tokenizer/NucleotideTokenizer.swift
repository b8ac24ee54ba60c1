/// HyenaDNA's character tokenizer: the same ids, so HyenaDNA checkpoints work unchanged.
/// Lower case (soft-masked repeats) folds to upper case; other IUPAC codes become N; anything else [UNK].
public enum NucleotideTokenizer {
    /// Token strings by id, as in HyenaDNA's vocabulary.
    public static let vocabulary = ["[CLS]", "[SEP]", "[BOS]", "[MASK]", "[PAD]", "[RESERVED]", "[UNK]",
                                    "A", "C", "G", "T", "N"]
    /// Number of token ids.
    public static var vocabularySize: Int { vocabulary.count }
    public static let cls = id("[CLS]"), sep = id("[SEP]"), bos = id("[BOS]"), mask = id("[MASK]"), pad = id("[PAD]")
    public static let reserved = id("[RESERVED]"), unk = id("[UNK]"), a = id("A"), c = id("C"), g = id("G"), t = id("T"), n = id("N")

    private static func id(_ token: String) -> Int32 { Int32(vocabulary.firstIndex(of: token)!) }

    /// `ids[byte]` is the token id of a byte.
    static let ids: [Int32] = NucleotideAlphabet.folded.map { letter in
        switch letter {
        case UInt8(ascii: "A"): return a
        case UInt8(ascii: "C"): return c
        case UInt8(ascii: "G"): return g
        case UInt8(ascii: "T"): return t
        case 0: return unk
        default: return n
        }
    }

    /// Token ids of the letters, one per byte.
    public static func encode(_ letters: [UInt8]) -> [Int32] {
        let table = ids
        return [Int32](unsafeUninitializedCapacity: letters.count) { out, count in
            table.withUnsafeBufferPointer { t in
                letters.withUnsafeBufferPointer { src in
                    for i in 0..<src.count { out[i] = t[Int(src[i])] }
                }
            }
            count = letters.count
        }
    }

    /// Token ids of a string's UTF-8 bytes.
    public static func encode(_ text: String) -> [Int32] { encode(Array(text.utf8)) }

    /// The text of the ids: letters as themselves, special tokens by name (e.g. "[PAD]").
    public static func decode(_ tokens: [Int32]) -> String {
        tokens.map { vocabulary.indices.contains(Int($0)) ? vocabulary[Int($0)] : vocabulary[Int(unk)] }.joined()
    }

    /// The reverse complement of a token sequence: order reversed, A<->T and C<->G, N and special tokens kept.
    public static func reverseComplement(_ tokens: [Int32]) -> [Int32] {
        tokens.reversed().map { id in
            switch id {
            case a: return t
            case t: return a
            case c: return g
            case g: return c
            default: return id
            }
        }
    }
}
