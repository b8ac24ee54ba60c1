import Foundation

/// `time_step_rank` / `dt_rank`: a number, or "auto" for ceil(hidden / 16).
public enum TimeStepRank: Codable, Equatable, Sendable {
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

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .auto: try c.encode("auto")
        case .fixed(let n): try c.encode(n)
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
public struct MambaConfig: ModelConfig, Equatable {
    public static let family = ModelFamily(name: "mamba", summary: "Mamba (S6) causal LM, transformers MambaForCausalLM layout",
                                           modelType: "mamba", architectures: ["MambaForCausalLM"])

    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var vocabSize: Int
    public var stateSize = 16
    public var expand = 2
    /// The mixer width; expand * hidden_size when absent (resolved when the config is made, as in transformers).
    public var intermediateSize: Int
    public var convKernel = 4
    public var timeStepRank = TimeStepRank.auto
    public var layerNormEpsilon: Float = 1e-5
    public var useBias = false
    public var useConvBias = true
    public var tieWordEmbeddings = true
    /// When present, the vocabulary is padded up to a multiple of it (mamba_ssm's convention).
    public var padVocabSizeMultiple: Int?
    /// Standard deviation of the embedding at random init.
    public var initializerRange: Float = 0.1

    /// The required sizes; every other field keeps its default until set.
    public init(hiddenSize: Int, numHiddenLayers: Int, vocabSize: Int) {
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.vocabSize = vocabSize
        intermediateSize = expand * hiddenSize
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  numHiddenLayers: try c.decode(Int.self, forKey: .numHiddenLayers),
                  vocabSize: try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 0)
        try c.fill(&stateSize, .stateSize)
        try c.fill(&expand, .expand)
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? expand * hiddenSize
        try c.fill(&convKernel, .convKernel)
        try c.fill(&timeStepRank, .timeStepRank)
        try c.fill(&layerNormEpsilon, .layerNormEpsilon)
        try c.fill(&useBias, .useBias)
        try c.fill(&useConvBias, .useConvBias)
        try c.fill(&tieWordEmbeddings, .tieWordEmbeddings)
        padVocabSizeMultiple = try c.decodeIfPresent(Int.self, forKey: .padVocabSizeMultiple)
        try c.fill(&initializerRange, .initializerRange)
    }

    /// Mamba runs at any length.
    public var maxLength: Int? {
        get { nil }
        set {}
    }

    /// The vocabulary the embedding and logits use (padded when `pad_vocab_size_multiple` is set).
    public var paddedVocabSize: Int { paddedVocabulary(vocabSize, multiple: padVocabSizeMultiple) }

    /// The mixer sizes this config gives every layer.
    public var mixer: MambaMixerConfig {
        MambaMixerConfig(hiddenSize: hiddenSize, intermediateSize: intermediateSize, stateSize: stateSize,
                         convKernel: convKernel, timeStepRank: timeStepRank.value(hidden: hiddenSize),
                         useBias: useBias, useConvBias: useConvBias)
    }

    public func validate() throws {
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
