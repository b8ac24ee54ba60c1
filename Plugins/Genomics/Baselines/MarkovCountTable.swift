/// Counts of (context, next symbol) for one Markov order: a flat array while 4^order contexts stay small, a hash
/// of the contexts actually seen above that (order 11 would need 4^11 * 5 * 4 bytes = 84 MB flat). UInt32 counts
/// are exact up to 4.29e9 training positions.
struct MarkovCountTable: Sendable {
    /// Highest order stored flat: 4^10 contexts * 5 symbols * 4 bytes = 21 MB.
    static let flatOrderLimit = 10

    private var flat: [UInt32]
    private var hashed: [UInt64: UInt32]
    private let isFlat: Bool

    init(order: Int) {
        isFlat = order <= Self.flatOrderLimit
        flat = isFlat ? [UInt32](repeating: 0, count: (1 << (2 * order)) * MarkovModel.symbolCount) : []
        hashed = [:]
    }

    /// Counts one `symbol` seen after `context` (the context's nucleotides, 2 bits each, oldest highest).
    mutating func increment(context: UInt64, symbol: Int) {
        let key = Int(context) * MarkovModel.symbolCount + symbol
        if isFlat { flat[key] &+= 1 } else { hashed[UInt64(key), default: 0] &+= 1 }
    }

    /// The counts of every symbol after `context`, written into `counts` (symbolCount entries).
    func counts(context: UInt64, into counts: UnsafeMutablePointer<UInt32>) {
        let base = Int(context) * MarkovModel.symbolCount
        for s in 0..<MarkovModel.symbolCount {
            counts[s] = isFlat ? flat[base + s] : hashed[UInt64(base + s)] ?? 0
        }
    }
}
