import Foundation
import SequoiaNN
import SequoiaTensor

/// A transformer language model with HF `LlamaForCausalLM` names: `model.*` (the backbone) and
/// `lm_head.weight`, which is absent (an alias of `model.embed_tokens.weight`) when
/// `tie_word_embeddings` is set.
public final class AttentionLanguageModel: Module, LanguageModel {
    public var model: TransformerBackbone
    public var lmHead: Linear?

    public override class var checkpointKeys: [String: String] { ["lmHead": "lm_head"] }

    /// A randomly initialised model: every projection and the embedding N(0, initializer_range²),
    /// biases zero and norms one, as transformers initialises Llama.
    public init(config: AttentionConfig, rng: inout RandomGenerator) throws {
        model = try TransformerBackbone(config: config, rng: &rng)
        lmHead = config.tieWordEmbeddings ? nil : Linear(config.hiddenSize, config.vocabSize, bias: false, rng: &rng)
        super.init()
        let std = Float(config.initializerRange)
        for (name, p) in namedParameters() where !name.hasSuffix("norm.weight") {
            let isBias = name.hasSuffix(".bias")
            for i in 0..<p.count { p.pointer[i] = isBias ? 0 : std * rng.nextNormal() }
        }
    }

    public var config: AttentionConfig { model.config }

    /// Causal configs train next-token prediction; a bidirectional one sees every token, so it
    /// trains as a masked model (a shifted loss would let each position read its own target).
    public var objective: TrainingObjective { config.causal ? .causal : .masked }

    public var tiedAliases: [String: String] {
        lmHead == nil ? ["lm_head.weight": "model.embed_tokens.weight"] : [:]
    }

    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let (output, hiddenStates) = model.forward(embeddings: model.embedTokens(ids))
        let logits = linear(output, weight: lmHead?.weight ?? model.embedTokens.weight, bias: nil)
        return LanguageModelOutput(logits: logits, hiddenStates: hiddenStates)
    }
}

extension ModelArchitecture {
    /// Llama-style transformers (RoPE, GQA, SwiGLU, RMSNorm), causal or bidirectional.
    public static let attention = ModelArchitecture(
        name: "attention",
        summary: "Llama-style transformer: rotary positions (with scalings), grouped-query attention, SwiGLU",
        referenceNames: ["llama", "LlamaForCausalLM"]
    ) { data, rng in
        try AttentionLanguageModel(config: decodeConfig(AttentionConfig.self, from: data), rng: &rng)
    }
}
