import Foundation

/// `time_step_rank` / `dt_rank`: a number, or "auto" for ceil(hidden / 16).
public enum TimeStepRank: Decodable, Equatable, Sendable {
    case auto
    case fixed(Int)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) {
            self = .fixed(n)
        } else if try c.decode(String.self) == "auto" {
            self = .auto
        } else {
            throw DecodingError.typeMismatch(Int.self, .init(codingPath: c.codingPath, debugDescription: "an integer or \"auto\""))
        }
    }

    /// The rank for a model of width `hidden`.
    public func value(hidden: Int) -> Int {
        switch self {
        case .auto: return (hidden + 15) / 16
        case .fixed(let n): return n
        }
    }
}

/// The sizes of one Mamba (S6) mixer, shared by Mamba and BiMamba.
public struct MambaMixerConfig: Equatable, Sendable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var stateSize: Int
    public var convKernel: Int
    public var timeStepRank: Int
    /// Biases on in_proj and out_proj.
    public var useBias: Bool
    public var useConvBias: Bool

    public init(hiddenSize: Int, intermediateSize: Int, stateSize: Int = 16, convKernel: Int = 4,
                timeStepRank: Int? = nil, useBias: Bool = false, useConvBias: Bool = true) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.stateSize = stateSize
        self.convKernel = convKernel
        self.timeStepRank = timeStepRank ?? TimeStepRank.auto.value(hidden: hiddenSize)
        self.useBias = useBias
        self.useConvBias = useConvBias
    }

    func validate() throws {
        for (name, value) in [("hidden size", hiddenSize), ("intermediate size", intermediateSize), ("state size", stateSize),
                              ("conv kernel", convKernel), ("time step rank", timeStepRank)] where value < 1 {
            throw ModelConfigError("Mamba \(name) must be positive, got \(value)")
        }
    }
}

/// transformers' `MambaConfig` (the fields that shape the model; HF defaults where optional).
public struct MambaConfig: Decodable, Sendable {
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var vocabSize: Int
    public var stateSize: Int
    public var expand: Int
    /// expand * hidden_size unless given.
    public var intermediateSize: Int
    public var convKernel: Int
    public var timeStepRank: TimeStepRank
    public var layerNormEpsilon: Float
    public var useBias: Bool
    public var useConvBias: Bool
    public var tieWordEmbeddings: Bool
    /// When present, the vocabulary is padded up to a multiple of it (mamba_ssm's convention).
    public var padVocabSizeMultiple: Int?
    /// Standard deviation of the embedding at random init.
    public var initializerRange: Float

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers", vocabSize = "vocab_size"
        case stateSize = "state_size", expand, intermediateSize = "intermediate_size", convKernel = "conv_kernel"
        case timeStepRank = "time_step_rank", layerNormEpsilon = "layer_norm_epsilon", useBias = "use_bias"
        case useConvBias = "use_conv_bias", tieWordEmbeddings = "tie_word_embeddings"
        case padVocabSizeMultiple = "pad_vocab_size_multiple", initializerRange = "initializer_range"
    }

    public init(hiddenSize: Int, numHiddenLayers: Int, vocabSize: Int, stateSize: Int = 16, expand: Int = 2,
                intermediateSize: Int? = nil, convKernel: Int = 4, timeStepRank: TimeStepRank = .auto,
                layerNormEpsilon: Float = 1e-5, useBias: Bool = false, useConvBias: Bool = true,
                tieWordEmbeddings: Bool = true, padVocabSizeMultiple: Int? = nil, initializerRange: Float = 0.1) {
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.vocabSize = vocabSize
        self.stateSize = stateSize
        self.expand = expand
        self.intermediateSize = intermediateSize ?? expand * hiddenSize
        self.convKernel = convKernel
        self.timeStepRank = timeStepRank
        self.layerNormEpsilon = layerNormEpsilon
        self.useBias = useBias
        self.useConvBias = useConvBias
        self.tieWordEmbeddings = tieWordEmbeddings
        self.padVocabSizeMultiple = padVocabSizeMultiple
        self.initializerRange = initializerRange
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let expand = try c.decodeIfPresent(Int.self, forKey: .expand) ?? 2
        let hidden = try c.decode(Int.self, forKey: .hiddenSize)
        self.init(hiddenSize: hidden,
                  numHiddenLayers: try c.decode(Int.self, forKey: .numHiddenLayers),
                  vocabSize: try c.decode(Int.self, forKey: .vocabSize),
                  stateSize: try c.decodeIfPresent(Int.self, forKey: .stateSize) ?? 16,
                  expand: expand,
                  intermediateSize: try c.decodeIfPresent(Int.self, forKey: .intermediateSize),
                  convKernel: try c.decodeIfPresent(Int.self, forKey: .convKernel) ?? 4,
                  timeStepRank: try c.decodeIfPresent(TimeStepRank.self, forKey: .timeStepRank) ?? .auto,
                  layerNormEpsilon: try c.decodeIfPresent(Float.self, forKey: .layerNormEpsilon) ?? 1e-5,
                  useBias: try c.decodeIfPresent(Bool.self, forKey: .useBias) ?? false,
                  useConvBias: try c.decodeIfPresent(Bool.self, forKey: .useConvBias) ?? true,
                  tieWordEmbeddings: try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? true,
                  padVocabSizeMultiple: try c.decodeIfPresent(Int.self, forKey: .padVocabSizeMultiple),
                  initializerRange: try c.decodeIfPresent(Float.self, forKey: .initializerRange) ?? 0.1)
    }

    /// The vocabulary the embedding and logits use (padded when `pad_vocab_size_multiple` is set).
    public var paddedVocabSize: Int { paddedVocabulary(vocabSize, multiple: padVocabSizeMultiple) }

    /// The mixer sizes this config gives every layer.
    public var mixer: MambaMixerConfig {
        MambaMixerConfig(hiddenSize: hiddenSize, intermediateSize: intermediateSize, stateSize: stateSize,
                         convKernel: convKernel, timeStepRank: timeStepRank.value(hidden: hiddenSize),
                         useBias: useBias, useConvBias: useConvBias)
    }

    func validate() throws {
        try mixer.validate()
        if numHiddenLayers < 0 || vocabSize < 1 {
            throw ModelConfigError("Mamba needs num_hidden_layers >= 0 and vocab_size >= 1, got \(numHiddenLayers) and \(vocabSize)")
        }
    }
}

/// `vocab` rounded up to a multiple of `multiple` (unchanged when nil or < 2).
func paddedVocabulary(_ vocab: Int, multiple: Int?) -> Int {
    guard let m = multiple, m > 1 else { return vocab }
    return (vocab + m - 1) / m * m
}
