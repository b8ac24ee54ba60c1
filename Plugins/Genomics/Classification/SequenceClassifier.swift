import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// A language model's backbone with a pooled classification head: the final hidden state averaged over
/// each sequence's real (non-pad) positions -> Linear(d, classes).
///
/// Checkpoint names are the language model's own (e.g. `hyena.backbone.*`, `lm_head.weight`, unused
/// here but kept so the file stays a superset of the pretrained one) plus `classifier.weight` and
/// `classifier.bias`.
public final class SequenceClassifier: Module {
    /// An empty key puts the model's members at the top level, so its names stay unchanged.
    @CheckpointKey("") public private(set) var model: any LanguageModel
    public let classifier: Linear

    /// A fresh head of `classCount` outputs on `model`.
    public init(model: any LanguageModel, classCount: Int, rng: inout RandomGenerator) {
        classifier = Linear(model.backbone.hiddenSize, classCount, rng: &rng)
        super.init()
        self.model = model
    }

    /// Right-padded ids [B, L] with each row's real length -> class logits [B, classes].
    public func callAsFunction(_ ids: IndexTensor, lengths: [Int]) -> Tensor {
        let (b, l) = (ids.shape[0], ids.shape[1])
        let hidden = model.backbone(ids, lengths: lengths)
        // Weights 1/length on real positions and 0 on padding: the masked mean in one product and sum.
        var weights = [Float](repeating: 0, count: b * l)
        for (row, length) in lengths.enumerated() {
            for t in 0..<length { weights[row * l + t] = 1 / Float(length) }
        }
        let pooled = (hidden * Tensor(shape: [b, l, 1], scalars: weights)).sum(axis: 1)
        return classifier(pooled)
    }
}
