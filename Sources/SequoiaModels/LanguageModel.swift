import SequoiaNN
import SequoiaTensor

/// What a language model's loss compares.
public enum TrainingObjective: String, Codable, Sendable {
    /// logits[:, t] predicts labels[:, t+1] (the usual shifted next-token loss).
    case causal
    /// logits[:, t] predicts labels[:, t] at the positions whose label is not ignored.
    case masked
}

/// Output of a full model: logits and the hidden states the reference implementation returns
/// with `output_hidden_states=True` (their meaning is per architecture).
public struct LanguageModelOutput {
    public let logits: Tensor
    public let hiddenStates: [Tensor]

    public init(logits: Tensor, hiddenStates: [Tensor]) {
        self.logits = logits
        self.hiddenStates = hiddenStates
    }
}

/// A token model built from a reference config: an embedding and a `Backbone`, then an LM head.
/// Its parameter names are the reference checkpoint's, so its `model.safetensors` loads by name.
public protocol LanguageModel: Module {
    associatedtype Config: ModelConfig
    associatedtype Body: Backbone
    /// The config it was built from.
    var config: Config { get }
    /// Everything up to the final hidden states: what a domain plugin puts its own heads on.
    var backbone: Body { get }
    var objective: TrainingObjective { get }
    /// Checkpoint names that alias another stored tensor (tied weights), alias -> stored name.
    /// Checkpoints store a tied tensor once; loading fills the aliases from it.
    var tiedAliases: [String: String] { get }
    /// Final hidden states [..., d] -> logits [..., V].
    func logits(_ hidden: Tensor) -> Tensor
    /// ids [B, L] -> logits [B, L, V] and the hidden states the reference returns with
    /// `output_hidden_states=True` (their meaning is per architecture).
    func forward(_ ids: IndexTensor) -> LanguageModelOutput
}

extension LanguageModel {
    public var tiedAliases: [String: String] { [:] }

    /// Logits [B, L, V] of right-padded ids, each row's real length in `lengths` (nil: unpadded).
    /// Only the final hidden state is kept alive, not every layer's.
    public func logits(_ ids: IndexTensor, lengths: [Int]?) -> Tensor {
        logits(backbone(ids, lengths: lengths))
    }

    /// Mean cross-entropy with ignore index -100, shifted for causal models.
    public func loss(logits: Tensor, labels: IndexTensor) -> Tensor {
        languageModelLoss(logits: logits, labels: labels, objective: objective)
    }

    /// An empty step state for `batch` sequences, when the backbone has a step mode.
    public func makeStepState(batch: Int) -> (any BackboneStepState)? {
        backbone.makeStepState(batch: batch)
    }

    /// Step mode: the next tokens of each row (ids [B] for one, or [B, T]) -> logits [B, T, V],
    /// advancing `state`. Steps through a sequence give the full forward's logits.
    public func step(_ ids: IndexTensor, state: any BackboneStepState) -> Tensor {
        precondition(ids.rank == 1 || ids.rank == 2, "step takes ids [B] or [B, T], got \(ids.shape)")
        let tokens = ids.rank == 1 ? ids.reshaped([ids.shape[0], 1]) : ids
        return GradMode.withoutGrad { logits(backbone.step(embeddings: backbone.embed(tokens), state: state)) }
    }
}

/// Mean cross-entropy of logits [B, L, V] against labels [B, L] (-100 ignored). Causal:
/// positions 0..<L-1 predict labels 1..<L; masked: no shift.
public func languageModelLoss(logits: Tensor, labels: IndexTensor, objective: TrainingObjective) -> Tensor {
    precondition(logits.rank == 3 && labels.shape == Array(logits.shape.prefix(2)),
                 "loss: logits \(logits.shape) and labels \(labels.shape) disagree")
    switch objective {
    case .masked:
        return crossEntropy(logits: logits, targets: labels)
    case .causal:
        let (b, l) = (labels.shape[0], labels.shape[1])
        guard l > 1 else { return Tensor(0) }
        var shifted = [Int32]()
        shifted.reserveCapacity(b * (l - 1))
        for row in 0..<b { shifted += labels.scalars[(row * l + 1)..<((row + 1) * l)] }
        return crossEntropy(logits: logits.sliced(axis: 1, 0..<(l - 1)),
                            targets: IndexTensor(shape: [b, l - 1], scalars: shifted))
    }
}
