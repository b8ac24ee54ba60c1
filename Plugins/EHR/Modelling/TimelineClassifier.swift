import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// A backbone with a linear head on the last real token's hidden state: one logit per timeline,
/// for full fine-tuning with binary cross-entropy. Checkpoint names are the model's own plus
/// `head.weight` and `head.bias`.
public final class TimelineClassifier: Module {
    /// The model, trained with the head; an empty key keeps its checkpoint names.
    @CheckpointKey("") public private(set) var model: any LanguageModel
    /// Linear(d, 1): the logit of the outcome.
    public let head: Linear

    /// A fresh Linear(d, 1) head on `model`.
    public init(model: any LanguageModel, rng: inout RandomGenerator) {
        head = Linear(model.backbone.hiddenSize, 1, rng: &rng)
        super.init()
        self.model = model
    }

    /// Right-padded ids [B, L] with real lengths -> logits [B].
    public func callAsFunction(_ ids: IndexTensor, lengths: [Int]) -> Tensor {
        head(TimelineBackbone.lastTokenState(of: model.backbone, ids, lengths: lengths)).reshaped([ids.shape[0]])
    }

    /// The head as a `TaskHead` of kind `.full`.
    public var taskHead: TaskHead {
        TaskHead(kind: .full, weights: head.weight.scalars.map(Double.init), bias: Double(head.bias!.item()))
    }
}
