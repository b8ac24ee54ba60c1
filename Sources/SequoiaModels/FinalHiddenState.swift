import SequoiaNN
import SequoiaTensor

/// The last hidden state (after the final norm) of a language model: ids [B, L] -> [B, L, d]. Goes through
/// the backbone where the model exposes it, so neither the logits over the vocabulary nor (for a 1M-token
/// Hyena window, gigabytes of) every layer's states are kept alive.
public func finalHiddenState(of model: any LanguageModel, _ ids: IndexTensor) -> Tensor {
    switch model {
    case let hyena as HyenaDNAForCausalLM:
        return hyena.backbone(ids)
    case let mamba as MambaLanguageModel:
        return mamba.backbone.hiddenStates(embeddings: mamba.backbone.embeddings(ids)).last!
    case let attention as AttentionLanguageModel:
        return attention.model.forward(embeddings: attention.model.embedTokens(ids)).output
    default:
        guard let last = model.forward(ids).hiddenStates.last else {
            preconditionFailure("\(type(of: model)) returned no hidden states")
        }
        return last
    }
}
