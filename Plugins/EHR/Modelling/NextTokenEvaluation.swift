import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// Next-token loss on held-out (tuning-split) timelines, summed over every real target so the
/// number does not depend on how the timelines are batched.
public struct NextTokenEvaluation {
    /// The held-out windows with at least one target, shortest first.
    public let sequences: [[Int32]]
    /// Windows per forward pass.
    public let batchSize: Int

    /// Sorts by length so each batch pads little.
    public init(sequences: [[Int32]], batchSize: Int) {
        self.sequences = sequences.filter { $0.count > 1 }.sorted { $0.count < $1.count }
        self.batchSize = batchSize
    }

    /// Summed nats and target count; the caller puts the model in eval mode without gradients.
    public func score(_ model: any LanguageModel) -> LanguageModelScore {
        var score = LanguageModelScore()
        for start in stride(from: 0, to: sequences.count, by: batchSize) {
            let batch = TimelineBatch(sequences: Array(sequences[start ..< min(start + batchSize, sequences.count)]))
            let loss = model.loss(logits: model.logits(batch.ids, lengths: batch.lengths), labels: batch.labels)
            score.add(nats: Double(loss.item()) * Double(batch.targetCount), tokenCount: batch.targetCount)
        }
        return score
    }
}
