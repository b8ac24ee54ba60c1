import Foundation
import SequoiaTensor

/// Held-out quality of a boundary model on fixed spliced batches: weighted loss, and precision,
/// recall and F1 of sampled frames in transitions at the model's threshold.
public struct TransitionScore {
    public var loss = 0.0
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    public var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }

    public var metrics: [String: Double] {
        ["held_out_loss": loss, "held_out_precision": precision, "held_out_recall": recall, "held_out_f1": f1]
    }

    public static func heldOut(_ model: BoundaryModel, _ batches: [VideoBatch]) -> TransitionScore {
        var score = TransitionScore()
        for batch in batches {
            let logits = model.logits(batch.tokens, frames: batch.frames)
            score.loss += Double(binaryCrossEntropy(logits: logits, targets: batch.targets, weights: batch.weights).item()) / Double(batches.count)
            for (i, target) in batch.targets.enumerated() {
                let predicted = 1 / (1 + exp(-Double(logits.pointer[i]))) > model.settings.threshold
                switch (predicted, target > 0) {
                case (true, true): score.truePositives += 1
                case (true, false): score.falsePositives += 1
                case (false, true): score.falseNegatives += 1
                default: break
                }
            }
        }
        return score
    }
}
