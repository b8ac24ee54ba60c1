/// The letters a FASTA sequence may hold: IUPAC nucleotide codes (ACGTN RYSWKMBDHV) in either case.
/// Gaps ('-'), stops ('*'), 'U' and anything else are rejected, so a protein or alignment file fails loudly.
public enum NucleotideAlphabet {
    /// `folded[byte]` is the upper-case letter for an allowed byte and 0 for any other.
    public static let folded: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for letter in "ACGTNRYSWKMBDHV".utf8 {
            table[Int(letter)] = letter
            table[Int(letter) + 32] = letter
        }
        return table
    }()
}
