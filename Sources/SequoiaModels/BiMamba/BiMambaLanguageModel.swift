import Foundation
import SequoiaNN
import SequoiaTensor

/// LC-PLM's `LcPlmForMaskedLM`: a BiMamba-S backbone and an LM head (untied unless the config
/// ties it to the embedding).
public final class BiMambaLanguageModel: Module, LanguageModel {
    override public class var checkpointKeys: [String: String] { ["backbone": "bimamba.backbone"] }

    public let backbone: BiMambaBackbone
    /// Holds the embedding's own tensor when tied.
    public let lm_head: Linear
    public let config: LcPlmConfig

    public init(_ config: LcPlmConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        backbone = BiMambaBackbone(config, rng: &rng)
        lm_head = Linear(config.dModel, config.vocabularySize, bias: false, rng: &rng)
        if config.tieEmbeddings { lm_head.weight = backbone.embedding.weight }
    }

    public var objective: TrainingObjective { .masked }

    /// The token that marks masked positions, when the config names it.
    public var maskTokenId: Int? { config.maskTokenId }

    public var tiedAliases: [String: String] {
        var aliases: [String: String] = [:]
        if config.tieEmbeddings { aliases["lm_head.weight"] = "bimamba.backbone.embedding.weight" }
        guard config.bidirectionalWeightTie else { return aliases }
        let projections = ["in_proj.weight", "out_proj.weight"] + (config.mixer.useBias ? ["in_proj.bias", "out_proj.bias"] : [])
        for i in 0..<config.nLayer {
            let mixer = "bimamba.backbone.layers.\(i).mixer"
            for p in projections { aliases["\(mixer).mamba_rev.\(p)"] = "\(mixer).mamba_fwd.\(p)" }
        }
        return aliases
    }

    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        forward(ids, lengths: nil)
    }

    /// ids [B, L], right-padded when `lengths` (one per row) is given: logits at real positions
    /// are then those of each row run alone.
    public func forward(_ ids: IndexTensor, lengths: [Int]?) -> LanguageModelOutput {
        let states = backbone.hiddenStates(embeddings: backbone.embedding(ids), lengths: lengths)
        return LanguageModelOutput(logits: lm_head(states[states.count - 1]), hiddenStates: states)
    }

    /// Registry entry: "bimamba-s", from LC-PLM `LcPlmConfig` JSON.
    public static let architecture = ModelArchitecture(
        name: "bimamba-s", summary: "BiMamba-S masked LM (LC-PLM): bidirectional Mamba with shared projections",
        referenceNames: ["LcPlmForMaskedLM", "lc_plm"]
    ) { data, rng in
        try BiMambaLanguageModel(try decodeConfig(LcPlmConfig.self, from: data), rng: &rng)
    }
}
