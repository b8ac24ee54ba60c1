/// Sizes and options of the attention family, with the fields of a Hugging Face `LlamaConfig`,
/// plus Sequoia's `causal` (false: bidirectional encoder) and the Mistral-style `sliding_window`.
public struct AttentionConfig: ModelConfig, Equatable {
    public static let family = ModelFamily(
        name: "attention", summary: "Llama-style transformer: rotary positions (with scalings), grouped-query attention, SwiGLU",
        modelType: "llama", architectures: ["LlamaForCausalLM"])

    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    /// Grouped-query heads; num_attention_heads when absent (resolved when the config is made).
    public var numKeyValueHeads: Int
    /// hidden_size / num_attention_heads when absent (resolved when the config is made).
    public var headDim: Int
    public var vocabSize: Int
    public var rmsNormEps = 1e-6
    public var ropeTheta = 10000.0
    public var ropeScaling: RopeScalingConfig?
    /// The trained window, which RoPE scalings measure from (not a limit: positions beyond it extrapolate).
    public var maxPositionEmbeddings = 2048
    public var tieWordEmbeddings = false
    public var attentionBias = false
    public var mlpBias = false
    public var causal = true
    public var slidingWindow: Int?
    /// Standard deviation of the normal init of every projection and the embedding (HF's).
    public var initializerRange = 0.02
    /// The MLP is SwiGLU: `validate` refuses another activation rather than compute the wrong thing.
    public var hiddenAct = "silu"

    /// The required sizes; the head layout follows from them and every other field keeps its default until set.
    public init(hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, vocabSize: Int) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.vocabSize = vocabSize
        numKeyValueHeads = numAttentionHeads
        headDim = hiddenSize / max(numAttentionHeads, 1)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  intermediateSize: try c.decode(Int.self, forKey: .intermediateSize),
                  numHiddenLayers: try c.decode(Int.self, forKey: .numHiddenLayers),
                  numAttentionHeads: try c.decode(Int.self, forKey: .numAttentionHeads),
                  vocabSize: try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 0)
        try c.fill(&numKeyValueHeads, .numKeyValueHeads)
        try c.fill(&headDim, .headDim)
        try c.fill(&rmsNormEps, .rmsNormEps)
        try c.fill(&ropeTheta, .ropeTheta)
        ropeScaling = try c.decodeIfPresent(RopeScalingConfig.self, forKey: .ropeScaling)
        try c.fill(&maxPositionEmbeddings, .maxPositionEmbeddings)
        try c.fill(&tieWordEmbeddings, .tieWordEmbeddings)
        try c.fill(&attentionBias, .attentionBias)
        try c.fill(&mlpBias, .mlpBias)
        try c.fill(&causal, .causal)
        slidingWindow = try c.decodeIfPresent(Int.self, forKey: .slidingWindow)
        try c.fill(&initializerRange, .initializerRange)
        try c.fill(&hiddenAct, .hiddenAct)
    }

    /// Rotary positions set no limit: a longer sequence extrapolates (or is rescaled by `rope_scaling`).
    public var maxLength: Int? {
        get { nil }
        set {}
    }

    /// Throws when the sizes cannot form a model (checked before any weight is allocated).
    public func validate() throws {
        for (name, value) in [("hidden_size", hiddenSize), ("intermediate_size", intermediateSize),
                              ("num_hidden_layers", numHiddenLayers), ("num_attention_heads", numAttentionHeads),
                              ("num_key_value_heads", numKeyValueHeads), ("head_dim", headDim),
                              ("vocab_size", vocabSize), ("max_position_embeddings", maxPositionEmbeddings)] where value <= 0 {
            throw ModelConfigError("\(name) must be positive, got \(value)")
        }
        if hiddenAct != "silu" { throw ModelConfigError("hidden_act '\(hiddenAct)' is not supported (only silu)") }
        if numAttentionHeads % numKeyValueHeads != 0 {
            throw ModelConfigError("num_attention_heads (\(numAttentionHeads)) must be a multiple of num_key_value_heads (\(numKeyValueHeads))")
        }
        if headDim % 2 != 0 { throw ModelConfigError("head_dim (\(headDim)) must be even for rotary embeddings") }
        if let w = slidingWindow, w <= 0 { throw ModelConfigError("sliding_window must be positive, got \(w)") }
        _ = try rotaryScaling()
    }

    public mutating func extendContext(_ method: ContextExtension, trainedWindow: Int) {
        switch method {
        case .extrapolation: ropeScaling = nil
        case .interpolation: ropeScaling = RopeScalingConfig(ropeType: "pi", originalMaxPositionEmbeddings: trainedWindow)
        case .visual: ropeScaling = RopeScalingConfig(ropeType: "vcwe", originalMaxPositionEmbeddings: trainedWindow)
        }
    }

    /// The RoPE variant `rope_scaling` asks for.
    public func rotaryScaling() throws -> RopeScaling {
        try ropeScaling?.scaling(maxPositionEmbeddings: maxPositionEmbeddings) ?? .none
    }
}
