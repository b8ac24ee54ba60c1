import Foundation
import SequoiaNN
import SequoiaTensor

/// transformers' `MambaForCausalLM`: a Mamba backbone and an LM head that is, as in the
/// reference, the embedding matrix itself unless `tie_word_embeddings` is false.
public final class MambaLanguageModel: Module, LanguageModel {
    public let backbone: MambaBackbone
    /// Holds the embedding's own tensor when tied, so both names load and train one weight.
    @CheckpointKey("lm_head") public private(set) var lmHead: Linear
    public let config: MambaConfig

    public init(_ config: MambaConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        backbone = MambaBackbone(config, rng: &rng)
        super.init()
        lmHead = Linear(config.hiddenSize, config.paddedVocabSize, bias: false, rng: &rng)
        if config.tieWordEmbeddings { lmHead.weight = backbone.embeddings.weight }
    }

    public var objective: TrainingObjective { .causal }

    public var tiedAliases: [String: String] {
        config.tieWordEmbeddings ? ["lm_head.weight": "backbone.embeddings.weight"] : [:]
    }

    public func logits(_ hidden: Tensor) -> Tensor { lmHead(hidden) }

    /// HF's hidden states: the residual stream after each block, then norm_f of the last.
    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let out = backbone.forward(embeddings: backbone.embed(ids), lengths: nil, states: .everyLayer)
        return LanguageModelOutput(logits: logits(out.output), hiddenStates: out.layers + [out.output])
    }
}
