import Foundation
import SequoiaNN
import SequoiaTensor

/// A transformer language model with HF `LlamaForCausalLM` names: `model.*` (the backbone) and
/// `lm_head.weight`, which is absent (an alias of `model.embed_tokens.weight`) when
/// `tie_word_embeddings` is set.
public final class AttentionLanguageModel: Module, LanguageModel {
    public let model: TransformerBackbone
    @CheckpointKey("lm_head") public private(set) var lmHead: Linear?

    /// A randomly initialised model: every projection and the embedding N(0, initializer_range²),
    /// biases zero and norms one, as transformers initialises Llama.
    public init(config: AttentionConfig, rng: inout RandomGenerator) throws {
        model = try TransformerBackbone(config: config, rng: &rng)
        let head = config.tieWordEmbeddings ? nil : Linear(config.hiddenSize, config.vocabSize, bias: false, rng: &rng)
        super.init()
        lmHead = head
        let std = Float(config.initializerRange)
        for (name, p) in namedParameters() where !name.hasSuffix("norm.weight") {
            let isBias = name.hasSuffix(".bias")
            for i in 0..<p.count { p.pointer[i] = isBias ? 0 : std * rng.nextNormal() }
        }
    }

    public var backbone: TransformerBackbone { model }
    public var config: AttentionConfig { model.config }

    /// Causal configs train next-token prediction; a bidirectional one sees every token, so it
    /// trains as a masked model (a shifted loss would let each position read its own target).
    public var objective: TrainingObjective { config.causal ? .causal : .masked }

    public var tiedAliases: [String: String] {
        lmHead == nil ? ["lm_head.weight": "model.embed_tokens.weight"] : [:]
    }

    public func logits(_ hidden: Tensor) -> Tensor {
        linear(hidden, weight: lmHead?.weight ?? model.embedTokens.weight, bias: nil)
    }

    /// HF's hidden states: the embeddings, the outputs of layers 0..n-2, then the final norm.
    public func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        let x = model.embed(ids)
        let out = model.forward(embeddings: x, lengths: nil, states: .everyLayer)
        return LanguageModelOutput(logits: logits(out.output), hiddenStates: [x] + out.layers.dropLast() + [out.output])
    }
}
