import Foundation
import SequoiaNN
import SequoiaTensor

/// The HF port's `HyenaDNAModel`: only a holder, giving checkpoint names their `hyena.backbone.` prefix.
public final class HyenaDNAModel: Module {
    public let backbone: HyenaBackbone

    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        backbone = HyenaBackbone(config: config, rng: &rng)
    }
}

/// HyenaDNA language model (LongSafari `HyenaDNAForCausalLM`): backbone plus an untied,
/// bias-free LM head over the padded vocabulary.
public final class HyenaDNAForCausalLM: Module, LanguageModel {
    public let hyena: HyenaDNAModel
    public let lmHead: Linear
    public let config: HyenaConfig

    override public class var checkpointKeys: [String: String] { ["lmHead": "lm_head"] }

    public init(config: HyenaConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        hyena = HyenaDNAModel(config: config, rng: &rng)
        lmHead = hyenaLinear(config.d_model, config.paddedVocabSize, bias: false, std: config.initializer_range, rng: &rng)
    }

    /// Builds a randomly initialised model from config.json data.
    public convenience init(configData: Data, rng: inout RandomGenerator) throws {
        try self.init(config: try decodeConfig(HyenaConfig.self, from: configData), rng: &rng)
    }

    public var backbone: HyenaBackbone { hyena.backbone }

    public var objective: TrainingObjective { .causal }

    /// Every layer's Sin `freq` is stored once, under `implicit_filter.1.freq`.
    public var tiedAliases: [String: String] {
        var aliases: [String: String] = [:]
        for (i, layer) in backbone.layers.enumerated() {
            let prefix = "hyena.backbone.layers.\(i).mixer.filter_fn."
            for (alias, stored) in layer.mixer.filterFn.tiedFrequencyAliases {
                aliases[prefix + alias] = prefix + stored
            }
        }
        return aliases
    }

    /// ids [B, L] -> logits [B, L, padded vocab] and the n_layer + 2 hidden states.
    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let (h, states) = backbone.forward(embeddings: backbone.embeddings(ids), collectHiddenStates: true)
        return LanguageModelOutput(logits: lmHead(h), hiddenStates: states)
    }
}
