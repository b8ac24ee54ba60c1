import Foundation
import SequoiaNN
import SequoiaTensor

/// transformers' `MambaForCausalLM`: a Mamba backbone and an LM head that is, as in the
/// reference, the embedding matrix itself unless `tie_word_embeddings` is false.
public final class MambaLanguageModel: Module, LanguageModel {
    public let backbone: MambaBackbone
    /// Holds the embedding's own tensor when tied, so both names load and train one weight.
    public let lm_head: Linear
    public let config: MambaConfig

    public init(_ config: MambaConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        backbone = MambaBackbone(config, rng: &rng)
        lm_head = Linear(config.hiddenSize, config.paddedVocabSize, bias: false, rng: &rng)
        if config.tieWordEmbeddings { lm_head.weight = backbone.embeddings.weight }
    }

    public var objective: TrainingObjective { .causal }

    public var tiedAliases: [String: String] {
        config.tieWordEmbeddings ? ["lm_head.weight": "backbone.embeddings.weight"] : [:]
    }

    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let states = backbone.hiddenStates(embeddings: backbone.embeddings(ids))
        return LanguageModelOutput(logits: lm_head(states[states.count - 1]), hiddenStates: states)
    }

    /// An empty recurrent state for `batch` sequences.
    public func makeCache(batch: Int) -> MambaCache {
        MambaCache(batch: batch, backbone: backbone)
    }

    /// Recurrent mode: the next tokens of each row (ids [B] for one, or [B, T]) -> logits
    /// [B, T, V], advancing `cache`. Steps through a sequence give the full forward's logits.
    public func step(_ ids: IndexTensor, cache: inout MambaCache) -> Tensor {
        precondition(ids.rank == 1 || ids.rank == 2, "MambaLanguageModel.step takes ids [B] or [B, T], got \(ids.shape)")
        let tokens = ids.rank == 1 ? ids.reshaped([ids.shape[0], 1]) : ids
        return GradMode.withoutGrad {
            lm_head(backbone.step(embeddings: backbone.embeddings(tokens), cache: &cache))
        }
    }

    /// Registry entry: "mamba", from transformers `MambaConfig` JSON.
    public static let architecture = ModelArchitecture(
        name: "mamba", summary: "Mamba (S6) causal LM, transformers MambaForCausalLM layout",
        referenceNames: ["mamba", "MambaForCausalLM"]
    ) { data, rng in
        try MambaLanguageModel(try decodeConfig(MambaConfig.self, from: data), rng: &rng)
    }
}
