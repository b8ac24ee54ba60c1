import Foundation

/// LC-PLM's `LcPlmConfig` (BiMamba-S). The mixers come from `hf_mamba_mixer_config` when present
/// (the config the reference builds them from), else from mamba_ssm's `ssm_cfg`, else defaults.
public struct LcPlmConfig: ModelConfig, Equatable {
    public static let family = ModelFamily(
        name: "bimamba-s", summary: "BiMamba-S masked LM (LC-PLM): bidirectional Mamba with shared projections",
        modelType: "lc_plm", architectures: ["LcPlmForMaskedLM"])

    /// mamba_ssm's `ssm_cfg` for Mamba1.
    public struct SsmCfg: Codable, Equatable, Sendable {
        public var dState: Int?
        public var dConv: Int?
        public var expand: Int?
        public var dtRank: TimeStepRank?
        public var bias: Bool?
        public var convBias: Bool?
    }

    /// The transformers `MambaConfig` fields LC-PLM's mixers are built from.
    public struct HFMixer: Codable, Equatable, Sendable {
        public var stateSize: Int?
        public var convKernel: Int?
        public var expand: Int?
        public var intermediateSize: Int?
        public var timeStepRank: TimeStepRank?
        public var useBias: Bool?
        public var useConvBias: Bool?
        public var layerNormEpsilon: Float?

        public init(stateSize: Int? = nil) { self.stateSize = stateSize }
    }

    public var dModel: Int
    public var nLayer: Int
    public var vocabSize: Int
    public var padVocabSizeMultiple: Int? = 8
    public var paddedVocabSize: Int?
    public var normEpsilon: Float?
    public var maskTokenId: Int?
    /// Ties the LM head to the embedding (`tie_embeddings`, or transformers' `tie_word_embeddings`).
    public var tieEmbeddings: Bool?
    public var tieWordEmbeddings: Bool?
    /// Whether the two directions share in_proj and out_proj.
    public var bidirectionalWeightTie = true
    public var ssmCfg: SsmCfg?
    public var hfMambaMixerConfig: HFMixer?
    // Variants this port does not build: read so that `validate` refuses them instead of loading
    // weights into the wrong maths.
    public var bidirectional: Bool?
    public var bidirectionalStrategy: String?
    public var rmsNorm: Bool?
    public var dIntermediate: Int?
    public var layer: String?

    /// The required sizes; every other field keeps its default until set.
    public init(dModel: Int, nLayer: Int, vocabSize: Int) {
        self.dModel = dModel
        self.nLayer = nLayer
        self.vocabSize = vocabSize
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(dModel: try c.decode(Int.self, forKey: .dModel), nLayer: try c.decode(Int.self, forKey: .nLayer),
                  vocabSize: try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 0)
        try c.fill(&padVocabSizeMultiple, .padVocabSizeMultiple)
        paddedVocabSize = try c.decodeIfPresent(Int.self, forKey: .paddedVocabSize)
        normEpsilon = try c.decodeIfPresent(Float.self, forKey: .normEpsilon)
        maskTokenId = try c.decodeIfPresent(Int.self, forKey: .maskTokenId)
        tieEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieEmbeddings)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings)
        try c.fill(&bidirectionalWeightTie, .bidirectionalWeightTie)
        ssmCfg = try c.decodeIfPresent(SsmCfg.self, forKey: .ssmCfg)
        hfMambaMixerConfig = try c.decodeIfPresent(HFMixer.self, forKey: .hfMambaMixerConfig)
        bidirectional = try c.decodeIfPresent(Bool.self, forKey: .bidirectional)
        bidirectionalStrategy = try c.decodeIfPresent(String.self, forKey: .bidirectionalStrategy)
        rmsNorm = try c.decodeIfPresent(Bool.self, forKey: .rmsNorm)
        dIntermediate = try c.decodeIfPresent(Int.self, forKey: .dIntermediate)
        layer = try c.decodeIfPresent(String.self, forKey: .layer)
    }

    /// BiMamba-S runs at any length.
    public var maxLength: Int? {
        get { nil }
        set {}
    }

    /// The vocabulary of the embedding and the logits.
    public var vocabularySize: Int { paddedVocabSize ?? paddedVocabulary(vocabSize, multiple: padVocabSizeMultiple) }

    public var tiesEmbeddings: Bool { tieEmbeddings ?? tieWordEmbeddings ?? false }

    /// The RMSNorm epsilon of every block and the final norm.
    public var epsilon: Float { normEpsilon ?? hfMambaMixerConfig?.layerNormEpsilon ?? 1e-5 }

    /// The sizes of every mixer.
    public var mixer: MambaMixerConfig {
        let hf = hfMambaMixerConfig, ssm = ssmCfg
        let expand = hf?.expand ?? ssm?.expand ?? 2
        let rank = hf?.timeStepRank ?? ssm?.dtRank ?? .auto
        return MambaMixerConfig(hiddenSize: dModel,
                                intermediateSize: hf?.intermediateSize ?? expand * dModel,
                                stateSize: hf?.stateSize ?? ssm?.dState ?? 16,
                                convKernel: hf?.convKernel ?? ssm?.dConv ?? 4,
                                timeStepRank: rank.value(hidden: dModel),
                                useBias: hf?.useBias ?? ssm?.bias ?? false,
                                useConvBias: hf?.useConvBias ?? ssm?.convBias ?? true)
    }

    public func validate() throws {
        if bidirectional == false { throw ModelConfigError("LC-PLM: only the bidirectional model (BiMamba) is supported") }
        if let s = bidirectionalStrategy, s != "add" {
            throw ModelConfigError("LC-PLM: bidirectional_strategy '\(s)' is not supported (only 'add')")
        }
        if rmsNorm == false { throw ModelConfigError("LC-PLM: only rms_norm = true is supported") }
        if let d = dIntermediate, d != 0 {
            throw ModelConfigError("LC-PLM: d_intermediate \(d) (an MLP per block) is not supported")
        }
        if let layer, layer != "Mamba1" { throw ModelConfigError("LC-PLM: layer '\(layer)' is not supported (only Mamba1)") }
        try mixer.validate()
        if nLayer < 0 || vocabSize < 1 || vocabularySize < vocabSize {
            throw ModelConfigError("LC-PLM needs n_layer >= 0, vocab_size >= 1 and padded_vocab_size >= vocab_size")
        }
    }
}
