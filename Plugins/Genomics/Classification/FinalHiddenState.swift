import SequoiaModels
import SequoiaTensor

/// The last hidden state (after the final norm) of a language model: ids [B, L] -> [B, L, d].
///
/// Hyena goes straight through its backbone: `forward` would also keep every layer's state and
/// the logits alive, which for a 1M-nt window costs gigabytes for nothing.
func finalHiddenState(of model: any LanguageModel, _ ids: IndexTensor) -> Tensor {
    if let hyena = model as? HyenaDNAForCausalLM { return hyena.backbone(ids) }
    guard let last = model.forward(ids).hiddenStates.last else {
        preconditionFailure("\(type(of: model)) returned no hidden states")
    }
    return last
}

/// The longest input the model accepts, when its architecture has a limit (Hyena: max_seq_len).
func maximumLength(of model: any LanguageModel) -> Int? {
    (model as? HyenaDNAForCausalLM)?.backbone.maxLength
}
