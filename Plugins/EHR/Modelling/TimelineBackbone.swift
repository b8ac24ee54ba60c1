import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// Building, and reading the final hidden state of, the causal backbone that models timelines.
public enum TimelineBackbone {
    /// A fresh model for `config` with the tokenizer's vocabulary, checked against the timeline
    /// length; refuses a non-causal one, whose states at a prediction time would read the padding
    /// (and, in training, its own targets).
    public static func build(_ config: any ModelConfig, vocabularySize: Int, maxLength: Int, seed: UInt64,
                             source: String) throws -> any LanguageModel {
        var config = config
        config.vocabSize = vocabularySize
        let model: any LanguageModel
        do {
            model = try ModelRegistry.shared.build(config, seed: seed)
            try model.backbone.checkLength(maxLength, "data.max_length \(maxLength)")
        } catch {
            throw CommandError("\(source): model: \(error)")
        }
        try requireCausal(model.backbone, source: source)
        return model
    }

    static func requireCausal(_ backbone: any Backbone, source: String) throws {
        guard backbone.isCausal else {
            throw CommandError("\(source): timelines need a causal backbone (mamba, hyena or causal attention), not a bidirectional one")
        }
    }

    /// The hidden state at each row's last real token of right-padded ids [B, L]: [B, d].
    /// Differentiable (a one-hot weighting summed over positions), so full fine-tuning can use it.
    public static func lastTokenState(of backbone: any Backbone, _ ids: IndexTensor, lengths: [Int]) -> Tensor {
        let (b, l) = (ids.shape[0], ids.shape[1])
        let hidden = backbone(ids, lengths: lengths)
        if l == 1 { return hidden.reshaped([b, hidden.size(-1)]) }
        var pick = [Float](repeating: 0, count: b * l)
        for (row, length) in lengths.enumerated() { pick[row * l + length - 1] = 1 }
        return (hidden * Tensor(shape: [b, l, 1], scalars: pick)).sum(axis: 1)
    }
}
