import SequoiaKit

/// An order-k Markov model of nucleotides on HyenaDNA token ids, interpolated Witten-Bell smoothing.
///
/// Symbols: A7 C8 G9 T10 are the four nucleotides; N11 and every other id form a fifth symbol "N", which is
/// predicted (with the probability learned for it) but never part of a context: a context stops at the nearest
/// N or at the start of the sequence, so the first positions of a window and those after an N use the lower
/// orders they have. Every position asked for is therefore scored, and callers choose which with a mask
/// (typically the same targets the neural model is scored on; leave N targets out to report bits per A/C/G/T).
///
/// Witten-Bell: p_j(x | c) = (n(c, x) + T(c) p_{j-1}(x | c')) / (n(c) + T(c)), where c' drops c's oldest
/// nucleotide, T(c) is the number of distinct symbols seen after c, unseen contexts pass p_{j-1} through, and
/// p_{-1} is uniform over the five symbols. It needs no tuning and lets long contexts help where they were seen.
public struct MarkovModel: Sendable {
    /// The largest supported order (contexts of up to 12 nucleotides; orders above 10 are stored hashed).
    public static let maximumOrder = 12
    /// A, C, G, T and "N" (everything else).
    static let symbolCount = 5

    /// The model's order k: the longest context used.
    public let order: Int
    /// One table per order 0...order.
    private let tables: [MarkovCountTable]

    /// Fits an order-`order` model by counting every position of `sequences` (token ids) at every order.
    public init(trainingOn sequences: [[Int32]], order: Int) {
        precondition((0...Self.maximumOrder).contains(order), "Markov order must be in 0...\(Self.maximumOrder)")
        var tables = (0...order).map { MarkovCountTable(order: $0) }
        for sequence in sequences {
            Self.walk(sequence, maxOrder: order) { _, symbol, context, available in
                for j in 0...available { tables[j].increment(context: context & Self.contextMask(j), symbol: symbol) }
            }
        }
        self.order = order
        self.tables = tables
    }

    private init(order: Int, tables: [MarkovCountTable]) {
        self.order = order
        self.tables = tables
    }

    /// The same counts used up to a lower `order` (shares storage; nothing is refitted).
    public func reduced(toOrder order: Int) -> MarkovModel {
        precondition((0...self.order).contains(order), "cannot reduce an order-\(self.order) model to \(order)")
        return MarkovModel(order: order, tables: Array(tables[0...order]))
    }

    /// Cross-entropy of `tokens` at the positions where `mask` is true (every position when nil); position i is
    /// predicted from tokens[..<i] of this sequence only.
    public func score(_ tokens: [Int32], mask: [Bool]? = nil) -> LanguageModelScore {
        var score = LanguageModelScore()
        forEachScoredPosition(tokens, mask: mask) { probabilities, available in
            score.add(probability: probabilities[available])
        }
        return score
    }

    /// Cross-entropy summed over `windows`, each with its own mask (all positions when `masks` is nil).
    public func score(windows: [[Int32]], masks: [[Bool]]? = nil) -> LanguageModelScore {
        precondition(masks == nil || masks!.count == windows.count, "one mask per window")
        var total = LanguageModelScore()
        for (w, window) in windows.enumerated() { total.add(score(window, mask: masks?[w])) }
        return total
    }

    /// The score of every reduced model of orders 0...order at once (one pass; used to choose the order).
    func scoreByOrder(_ tokens: [Int32], mask: [Bool]?) -> [LanguageModelScore] {
        var scores = [LanguageModelScore](repeating: LanguageModelScore(), count: order + 1)
        forEachScoredPosition(tokens, mask: mask) { probabilities, available in
            // An order-k model with fewer than k nucleotides of context uses the highest order it has.
            for k in 0...order { scores[k].add(probability: probabilities[min(k, available)]) }
        }
        return scores
    }

    /// Calls `body` for each masked position with the interpolated probability of its symbol at orders
    /// 0...available (`available`: nucleotides of context, at most `order`).
    private func forEachScoredPosition(_ tokens: [Int32], mask: [Bool]?,
                                       _ body: (_ probabilities: [Double], _ available: Int) -> Void) {
        precondition(mask == nil || mask!.count == tokens.count, "mask length \(mask!.count) != \(tokens.count) tokens")
        var counts = [UInt32](repeating: 0, count: Self.symbolCount)
        var probabilities = [Double](repeating: 0, count: order + 1)
        Self.walk(tokens, maxOrder: order) { position, symbol, context, available in
            guard mask?[position] ?? true else { return }
            var p = 1.0 / Double(Self.symbolCount)
            for j in 0...available {
                counts.withUnsafeMutableBufferPointer { tables[j].counts(context: context & Self.contextMask(j), into: $0.baseAddress!) }
                var seen: UInt32 = 0, distinct: UInt32 = 0
                for c in counts { seen += c; distinct += c > 0 ? 1 : 0 }
                if seen > 0 { p = (Double(counts[symbol]) + Double(distinct) * p) / Double(seen + distinct) }
                probabilities[j] = p
            }
            body(probabilities, available)
        }
    }

    /// Visits each position with its symbol, the preceding nucleotides packed 2 bits each (newest lowest, at most
    /// `maxOrder`) and how many there are before an N or the sequence start (capped at `maxOrder`).
    private static func walk(_ tokens: [Int32], maxOrder: Int,
                             _ body: (_ position: Int, _ symbol: Int, _ context: UInt64, _ available: Int) -> Void) {
        let fullMask = contextMask(maxOrder)
        var context: UInt64 = 0, available = 0
        for (position, token) in tokens.enumerated() {
            let symbol = (7...10).contains(token) ? Int(token) - 7 : 4
            body(position, symbol, context, available)
            if symbol < 4 {
                context = ((context << 2) | UInt64(symbol)) & fullMask
                available = min(available + 1, maxOrder)
            } else {
                context = 0
                available = 0
            }
        }
    }

    /// Bits selecting the newest `order` nucleotides of a packed context.
    private static func contextMask(_ order: Int) -> UInt64 { (UInt64(1) << UInt64(2 * order)) &- 1 }
}
