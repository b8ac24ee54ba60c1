/// The letters a FASTA sequence may hold: IUPAC nucleotide codes (ACGTN RYSWKMBDHV) in either case.
/// Gaps ('-'), stops ('*'), 'U' and anything else are rejected, so a protein or alignment file fails loudly.
public enum NucleotideAlphabet {
    /// The allowed letters, as error messages name them.
    public static let allowed = "IUPAC nucleotide letters ACGTN RYSWKMBDHV, either case"

    /// `folded[byte]` is the upper-case letter for an allowed byte and 0 for any other.
    public static let folded: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for letter in "ACGTNRYSWKMBDHV".utf8 {
            table[Int(letter)] = letter
            table[Int(letter) + 32] = letter
        }
        return table
    }()

    /// Writes the upper-case letters of `source` to `target` (when given; it may be `source` itself)
    /// and returns the index of the first byte that is not allowed, or nil.
    static func fold(_ source: UnsafePointer<UInt8>, count: Int, into target: UnsafeMutablePointer<UInt8>?) -> Int? {
        folded.withUnsafeBufferPointer { table in
            for i in 0..<count {
                let f = table[Int(source[i])]
                if f == 0 { return i }
                target?[i] = f
            }
            return nil
        }
    }
}
