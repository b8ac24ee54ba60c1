/// Sizes and options of the attention family, decoded from a Hugging Face `LlamaConfig`
/// (same field names), plus Sequoia's `causal` (false: bidirectional encoder) and the
/// Mistral-style `sliding_window`.
public struct AttentionConfig: Codable, Equatable, Sendable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var headDim: Int
    public var rmsNormEps: Double
    public var ropeTheta: Double
    public var ropeScaling: RopeScalingConfig?
    public var maxPositionEmbeddings: Int
    public var vocabSize: Int
    public var tieWordEmbeddings: Bool
    public var attentionBias: Bool
    public var mlpBias: Bool
    public var causal: Bool
    public var slidingWindow: Int?
    /// Standard deviation of the normal init of every projection and the embedding (HF's).
    public var initializerRange: Double

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads", headDim = "head_dim"
        case rmsNormEps = "rms_norm_eps", ropeTheta = "rope_theta", ropeScaling = "rope_scaling"
        case maxPositionEmbeddings = "max_position_embeddings", vocabSize = "vocab_size"
        case tieWordEmbeddings = "tie_word_embeddings", attentionBias = "attention_bias", mlpBias = "mlp_bias"
        case causal, slidingWindow = "sliding_window", initializerRange = "initializer_range"
        case hiddenAct = "hidden_act"
    }

    /// Defaults are `LlamaConfig`'s; `headDim` defaults to hiddenSize / numAttentionHeads.
    public init(hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                numKeyValueHeads: Int? = nil, headDim: Int? = nil, rmsNormEps: Double = 1e-6,
                ropeTheta: Double = 10000, ropeScaling: RopeScalingConfig? = nil, maxPositionEmbeddings: Int = 2048,
                vocabSize: Int, tieWordEmbeddings: Bool = false, attentionBias: Bool = false, mlpBias: Bool = false,
                causal: Bool = true, slidingWindow: Int? = nil, initializerRange: Double = 0.02) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
        self.headDim = headDim ?? hiddenSize / max(numAttentionHeads, 1)
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.vocabSize = vocabSize
        self.tieWordEmbeddings = tieWordEmbeddings
        self.attentionBias = attentionBias
        self.mlpBias = mlpBias
        self.causal = causal
        self.slidingWindow = slidingWindow
        self.initializerRange = initializerRange
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  intermediateSize: try c.decode(Int.self, forKey: .intermediateSize),
                  numHiddenLayers: try c.decode(Int.self, forKey: .numHiddenLayers),
                  numAttentionHeads: try c.decode(Int.self, forKey: .numAttentionHeads),
                  numKeyValueHeads: try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads),
                  headDim: try c.decodeIfPresent(Int.self, forKey: .headDim),
                  rmsNormEps: try c.decodeIfPresent(Double.self, forKey: .rmsNormEps) ?? 1e-6,
                  ropeTheta: try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 10000,
                  ropeScaling: try c.decodeIfPresent(RopeScalingConfig.self, forKey: .ropeScaling),
                  maxPositionEmbeddings: try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048,
                  vocabSize: try c.decode(Int.self, forKey: .vocabSize),
                  tieWordEmbeddings: try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false,
                  attentionBias: try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false,
                  mlpBias: try c.decodeIfPresent(Bool.self, forKey: .mlpBias) ?? false,
                  causal: try c.decodeIfPresent(Bool.self, forKey: .causal) ?? true,
                  slidingWindow: try c.decodeIfPresent(Int.self, forKey: .slidingWindow),
                  initializerRange: try c.decodeIfPresent(Double.self, forKey: .initializerRange) ?? 0.02)
        // The MLP is SwiGLU only; another activation would load cleanly and compute the wrong thing.
        if let act = try c.decodeIfPresent(String.self, forKey: .hiddenAct), act != "silu" {
            throw ModelConfigError("hidden_act '\(act)' is not supported (only silu)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(numKeyValueHeads, forKey: .numKeyValueHeads)
        try c.encode(headDim, forKey: .headDim)
        try c.encode(rmsNormEps, forKey: .rmsNormEps)
        try c.encode(ropeTheta, forKey: .ropeTheta)
        try c.encodeIfPresent(ropeScaling, forKey: .ropeScaling)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        try c.encode(attentionBias, forKey: .attentionBias)
        try c.encode(mlpBias, forKey: .mlpBias)
        try c.encode(causal, forKey: .causal)
        try c.encodeIfPresent(slidingWindow, forKey: .slidingWindow)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode("silu", forKey: .hiddenAct)
    }

    /// Throws when the sizes cannot form a model (checked before any weight is allocated).
    public func validate() throws {
        for (name, value) in [("hidden_size", hiddenSize), ("intermediate_size", intermediateSize),
                              ("num_hidden_layers", numHiddenLayers), ("num_attention_heads", numAttentionHeads),
                              ("num_key_value_heads", numKeyValueHeads), ("head_dim", headDim),
                              ("vocab_size", vocabSize), ("max_position_embeddings", maxPositionEmbeddings)] where value <= 0 {
            throw ModelConfigError("\(name) must be positive, got \(value)")
        }
        if numAttentionHeads % numKeyValueHeads != 0 {
            throw ModelConfigError("num_attention_heads (\(numAttentionHeads)) must be a multiple of num_key_value_heads (\(numKeyValueHeads))")
        }
        if headDim % 2 != 0 { throw ModelConfigError("head_dim (\(headDim)) must be even for rotary embeddings") }
        if let w = slidingWindow, w <= 0 { throw ModelConfigError("sliding_window must be positive, got \(w)") }
        _ = try rotaryScaling()
    }

    /// The RoPE variant `rope_scaling` asks for.
    public func rotaryScaling() throws -> RopeScaling {
        try ropeScaling?.scaling(maxPositionEmbeddings: maxPositionEmbeddings) ?? .none
    }
}
