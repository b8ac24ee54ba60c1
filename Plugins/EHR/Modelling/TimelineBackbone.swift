import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// Building, and reading the final hidden state of, the causal backbone that models timelines.
public enum TimelineBackbone {
    /// The "model" section with `vocab_size` set to the tokenizer's (each backbone pads it as its
    /// `pad_vocab_size_multiple` asks), checked against `maxLength` where the architecture has a
    /// positional limit (Hyena's `max_seq_len`, attention's `max_position_embeddings`).
    public static func config(_ model: Data, vocabularySize: Int, maxLength: Int, source: String) throws -> Data {
        guard var json = (try? JSONSerialization.jsonObject(with: model)) as? [String: Any] else {
            throw CommandError("\(source): model: not a JSON object")
        }
        json["vocab_size"] = vocabularySize
        for key in ["max_seq_len", "max_position_embeddings"] {
            if let limit = json[key] as? Int, limit < maxLength {
                throw CommandError("\(source): model.\(key) \(limit) is shorter than data.max_length \(maxLength)")
            }
        }
        return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
    }

    /// A fresh model for `config`; refuses a non-causal one, whose states at a prediction time
    /// would read the padding (and, in training, its own targets).
    public static func build(config: Data, seed: UInt64, source: String) throws -> any LanguageModel {
        let model: any LanguageModel
        do {
            model = try ModelRegistry.shared.build(config: config, seed: seed)
        } catch {
            throw CommandError("\(source): model: \(error)")
        }
        try requireCausal(model, source: source)
        return model
    }

    static func requireCausal(_ model: any LanguageModel, source: String) throws {
        guard model.objective == .causal else {
            throw CommandError("\(source): timelines need a causal backbone (mamba, hyena or causal attention), "
                + "not a \(model.objective.rawValue) one")
        }
    }

    /// The hidden state at each row's last real token of right-padded ids [B, L]: [B, d].
    /// Differentiable (a one-hot weighting summed over positions), so full fine-tuning can use it.
    public static func lastTokenState(of model: any LanguageModel, _ ids: IndexTensor, lengths: [Int]) -> Tensor {
        let (b, l) = (ids.shape[0], ids.shape[1])
        precondition(lengths.count == b && lengths.allSatisfy { (1...l).contains($0) }, "lengths \(lengths) for ids \(ids.shape)")
        let hidden = finalHiddenState(of: model, ids)
        if l == 1 { return hidden.reshaped([b, hidden.size(-1)]) }
        var pick = [Float](repeating: 0, count: b * l)
        for (row, length) in lengths.enumerated() { pick[row * l + length - 1] = 1 }
        return (hidden * Tensor(shape: [b, l, 1], scalars: pick)).sum(axis: 1)
    }

    /// The width d of the model's final hidden state.
    public static func hiddenWidth(of model: any LanguageModel) -> Int {
        GradMode.withoutGrad { finalHiddenState(of: model, IndexTensor(shape: [1, 1], scalars: [TimelineTokenizer.begin])).size(-1) }
    }
}
