import Foundation

/// HyenaDNA's config, with the fields of the LongSafari HF port's `HyenaConfig`.
public struct HyenaConfig: ModelConfig, Equatable {
    public static let family = ModelFamily(name: "hyena", summary: "HyenaDNA: implicit long convolutions (FFT) with gating, causal",
                                           modelType: "hyenadna", architectures: ["HyenaDNAForCausalLM"])

    public var dModel: Int
    public var nLayer: Int
    /// MLP width; absent (the HF port's null) means 4 * d_model.
    public var dInner: Int
    public var vocabSize: Int
    /// l_max: the implicit filter and its positional buffers are this long; inputs may not be longer.
    public var maxSeqLen: Int
    /// Width of the positional features fed to the filter MLP: time plus (emb_dim - 1) / 2 cos/sin bands.
    public var embDim = 3
    /// Width of the filter MLP.
    public var filterOrder = 64
    public var shortFilterOrder = 3
    /// Initial frequency w of the filter's Sin activations.
    public var activationFreq: Float = 1
    public var hyenaOrder = 2
    public var layerNormEpsilon: Float = 1e-5
    public var padVocabSizeMultiple = 8
    /// Whether the long convolution adds the skip term v * filter_fn.bias.
    public var useBias = true
    /// Whether the Sin frequency is a trained (and stored) parameter.
    public var trainFreq = true
    public var numInnerMlps = 2
    public var embedDropout: Float = 0.1
    public var hyenaDropout: Float = 0
    public var initializerRange: Float = 0.02

    /// The required sizes; every other field keeps its default until set.
    public init(dModel: Int, nLayer: Int, vocabSize: Int, maxSeqLen: Int) {
        self.dModel = dModel
        self.nLayer = nLayer
        self.vocabSize = vocabSize
        self.maxSeqLen = maxSeqLen
        dInner = 4 * dModel
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dModel: try c.decode(Int.self, forKey: .dModel), nLayer: try c.decode(Int.self, forKey: .nLayer),
                  vocabSize: try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 0, maxSeqLen: try c.decode(Int.self, forKey: .maxSeqLen))
        try c.fill(&dInner, .dInner)
        try c.fill(&embDim, .embDim)
        try c.fill(&filterOrder, .filterOrder)
        try c.fill(&shortFilterOrder, .shortFilterOrder)
        try c.fill(&activationFreq, .activationFreq)
        try c.fill(&hyenaOrder, .hyenaOrder)
        try c.fill(&layerNormEpsilon, .layerNormEpsilon)
        try c.fill(&padVocabSizeMultiple, .padVocabSizeMultiple)
        try c.fill(&useBias, .useBias)
        try c.fill(&trainFreq, .trainFreq)
        try c.fill(&numInnerMlps, .numInnerMlps)
        try c.fill(&embedDropout, .embedDropout)
        try c.fill(&hyenaDropout, .hyenaDropout)
        try c.fill(&initializerRange, .initializerRange)
    }

    /// max_seq_len: the length of the implicit filters (and of their stored positional buffers).
    public var maxLength: Int? {
        get { maxSeqLen }
        set { if let newValue { maxSeqLen = newValue } }
    }

    /// Embedding and LM-head rows: vocab_size rounded up to a multiple of pad_vocab_size_multiple.
    public var paddedVocabSize: Int {
        let m = max(1, padVocabSizeMultiple)
        return (vocabSize + m - 1) / m * m
    }

    /// Throws on values the reference cannot build (or we do not support).
    public func validate() throws {
        guard hyenaOrder == 2 else {
            throw ModelConfigError("hyena_order \(hyenaOrder) is not supported (only order 2, as in every HyenaDNA checkpoint)")
        }
        guard shortFilterOrder == 3 else {
            throw ModelConfigError("short_filter_order \(shortFilterOrder): the references hard-code a kernel of 3 (padding 2)")
        }
        guard embDim >= 3 && embDim % 2 == 1 else {
            throw ModelConfigError("emb_dim \(embDim) must be odd and at least 3 (time, then cos and sin bands)")
        }
        for (name, value) in [("d_model", dModel), ("n_layer", nLayer), ("d_inner", dInner), ("vocab_size", vocabSize),
                              ("max_seq_len", maxSeqLen), ("filter_order", filterOrder)] where value < 1 {
            throw ModelConfigError("\(name) must be positive, got \(value)")
        }
        guard numInnerMlps >= 0 else { throw ModelConfigError("num_inner_mlps must be >= 0, got \(numInnerMlps)") }
    }
}
