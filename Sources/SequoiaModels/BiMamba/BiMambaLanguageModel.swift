import Foundation
import SequoiaNN
import SequoiaTensor

/// LC-PLM's `LcPlmForMaskedLM`: a BiMamba-S backbone and an LM head (untied unless the config
/// ties it to the embedding).
public final class BiMambaLanguageModel: Module, LanguageModel {
    @CheckpointKey("bimamba.backbone") public private(set) var backbone: BiMambaBackbone
    /// Holds the embedding's own tensor when tied.
    @CheckpointKey("lm_head") public private(set) var lmHead: Linear
    public let config: LcPlmConfig

    public init(_ config: LcPlmConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        let backbone = BiMambaBackbone(config, rng: &rng)
        let lmHead = Linear(config.dModel, config.vocabularySize, bias: false, rng: &rng)
        super.init()
        self.backbone = backbone
        self.lmHead = lmHead
        if config.tiesEmbeddings { lmHead.weight = backbone.embedding.weight }
    }

    public var objective: TrainingObjective { .masked }

    /// The token that marks masked positions, when the config names it.
    public var maskTokenId: Int? { config.maskTokenId }

    public var tiedAliases: [String: String] {
        var aliases: [String: String] = [:]
        if config.tiesEmbeddings { aliases["lm_head.weight"] = "bimamba.backbone.embedding.weight" }
        guard config.bidirectionalWeightTie else { return aliases }
        let projections = ["in_proj.weight", "out_proj.weight"] + (config.mixer.useBias ? ["in_proj.bias", "out_proj.bias"] : [])
        for i in 0..<config.nLayer {
            let mixer = "bimamba.backbone.layers.\(i).mixer"
            for p in projections { aliases["\(mixer).mamba_rev.\(p)"] = "\(mixer).mamba_fwd.\(p)" }
        }
        return aliases
    }

    public func logits(_ hidden: Tensor) -> Tensor { lmHead(hidden) }

    /// The residual stream after each block, then norm_f of the last (the transformers-Mamba convention).
    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let out = backbone.forward(embeddings: backbone.embed(ids), lengths: nil, states: .everyLayer)
        return LanguageModelOutput(logits: logits(out.output), hiddenStates: out.layers + [out.output])
    }
}
