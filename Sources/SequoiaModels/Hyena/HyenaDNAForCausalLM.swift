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
    @CheckpointKey("lm_head") public private(set) var lmHead: Linear
    public let config: HyenaConfig

    public init(_ config: HyenaConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        hyena = HyenaDNAModel(config: config, rng: &rng)
        super.init()
        lmHead = hyenaLinear(config.dModel, config.paddedVocabSize, bias: false, std: config.initializerRange, rng: &rng)
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

    public func logits(_ hidden: Tensor) -> Tensor { lmHead(hidden) }

    /// ids [B, L] -> logits [B, L, padded vocab] and the HF port's n_layer + 2 hidden states: the
    /// embeddings, each block's output, and the ln_f output.
    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let x = backbone.embed(ids)
        let out = backbone.forward(embeddings: x, lengths: nil, states: .everyLayer)
        return LanguageModelOutput(logits: logits(out.output), hiddenStates: [x] + out.layers + [out.output])
    }
}
