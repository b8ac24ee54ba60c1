import SequoiaModels
import SequoiaTensor

/// The longest input the model accepts, when its architecture has a limit (Hyena: max_seq_len).
func maximumLength(of model: any LanguageModel) -> Int? {
    (model as? HyenaDNAForCausalLM)?.backbone.maxLength
}
