import SequoiaKit

/// The order-k Markov baseline that genomic models are read beside: k chosen on validation data.
public enum MarkovBaseline {
    /// Counts `train` once up to `maxOrder`, scores every position of `validation` with each order 0...maxOrder
    /// and keeps the order with the fewest bits per nucleotide (ties to the lower order). `bitsByOrder[k]` is
    /// the validation bits of order k.
    public static func fit(train: [[Int32]], validation: [[Int32]], maxOrder: Int = MarkovModel.maximumOrder)
        -> (model: MarkovModel, chosenOrder: Int, validationBits: Double, bitsByOrder: [Double]) {
        precondition(validation.contains { !$0.isEmpty }, "Markov order selection needs validation tokens")
        let full = MarkovModel(trainingOn: train, order: maxOrder)
        var scores = [LanguageModelScore](repeating: LanguageModelScore(), count: maxOrder + 1)
        for window in validation {
            for (k, score) in full.scoreByOrder(window, mask: nil).enumerated() { scores[k].add(score) }
        }
        let bits = scores.map(\.bitsPerToken)
        let chosen = bits.indices.min { bits[$0] < bits[$1] }!  // the first of equal minima: the lower order
        return (full.reduced(toOrder: chosen), chosen, bits[chosen], bits)
    }
}
