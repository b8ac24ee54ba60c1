import Foundation

/// LC-PLM's `LcPlmConfig` (BiMamba-S). The mixers come from `hf_mamba_mixer_config` when present
/// (the config the reference builds them from), else from mamba_ssm's `ssm_cfg`, else defaults.
public struct LcPlmConfig: Decodable, Sendable {
    public var dModel: Int
    public var nLayer: Int
    public var vocabSize: Int
    public var padVocabSizeMultiple: Int?
    public var paddedVocabSize: Int?
    public var normEpsilon: Float
    public var maskTokenId: Int?
    public var tieEmbeddings: Bool
    /// Whether the two directions share in_proj and out_proj (`bidirectional_weight_tie`).
    public var bidirectionalWeightTie: Bool
    public var mixer: MambaMixerConfig

    enum CodingKeys: String, CodingKey {
        case dModel = "d_model", nLayer = "n_layer", vocabSize = "vocab_size"
        case padVocabSizeMultiple = "pad_vocab_size_multiple", paddedVocabSize = "padded_vocab_size"
        case normEpsilon = "norm_epsilon", maskTokenId = "mask_token_id"
        case tieEmbeddings = "tie_embeddings", tieWordEmbeddings = "tie_word_embeddings"
        case bidirectional, bidirectionalStrategy = "bidirectional_strategy"
        case bidirectionalWeightTie = "bidirectional_weight_tie"
        case ssmCfg = "ssm_cfg", hfMixer = "hf_mamba_mixer_config"
        case rmsNorm = "rms_norm", dIntermediate = "d_intermediate", layer
    }

    /// mamba_ssm's `ssm_cfg` for Mamba1.
    private struct SsmCfg: Decodable {
        var d_state: Int?
        var d_conv: Int?
        var expand: Int?
        var dt_rank: TimeStepRank?
        var bias: Bool?
        var conv_bias: Bool?
    }

    /// The transformers `MambaConfig` fields LC-PLM's mixers are built from.
    private struct HFMixer: Decodable {
        var state_size: Int?
        var conv_kernel: Int?
        var expand: Int?
        var intermediate_size: Int?
        var time_step_rank: TimeStepRank?
        var use_bias: Bool?
        var use_conv_bias: Bool?
        var layer_norm_epsilon: Float?
    }

    public init(dModel: Int, nLayer: Int, vocabSize: Int, mixer: MambaMixerConfig? = nil, padVocabSizeMultiple: Int? = 8,
                normEpsilon: Float = 1e-5, maskTokenId: Int? = nil, tieEmbeddings: Bool = false,
                bidirectionalWeightTie: Bool = true) {
        self.dModel = dModel
        self.nLayer = nLayer
        self.vocabSize = vocabSize
        self.padVocabSizeMultiple = padVocabSizeMultiple
        self.normEpsilon = normEpsilon
        self.maskTokenId = maskTokenId
        self.tieEmbeddings = tieEmbeddings
        self.bidirectionalWeightTie = bidirectionalWeightTie
        self.mixer = mixer ?? MambaMixerConfig(hiddenSize: dModel, intermediateSize: 2 * dModel)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dModel = try c.decode(Int.self, forKey: .dModel)
        nLayer = try c.decode(Int.self, forKey: .nLayer)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        padVocabSizeMultiple = try c.decodeIfPresent(Int.self, forKey: .padVocabSizeMultiple) ?? 8
        paddedVocabSize = try c.decodeIfPresent(Int.self, forKey: .paddedVocabSize)
        maskTokenId = try c.decodeIfPresent(Int.self, forKey: .maskTokenId)
        tieEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieEmbeddings)
            ?? c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        bidirectionalWeightTie = try c.decodeIfPresent(Bool.self, forKey: .bidirectionalWeightTie) ?? true

        // Variants this port does not build fail loudly instead of loading into the wrong maths.
        if try c.decodeIfPresent(Bool.self, forKey: .bidirectional) == false {
            throw ModelConfigError("LC-PLM: only the bidirectional model (BiMamba) is supported")
        }
        if let s = try c.decodeIfPresent(String.self, forKey: .bidirectionalStrategy), s != "add" {
            throw ModelConfigError("LC-PLM: bidirectional_strategy '\(s)' is not supported (only 'add')")
        }
        if try c.decodeIfPresent(Bool.self, forKey: .rmsNorm) == false {
            throw ModelConfigError("LC-PLM: only rms_norm = true is supported")
        }
        if let d = try c.decodeIfPresent(Int.self, forKey: .dIntermediate), d != 0 {
            throw ModelConfigError("LC-PLM: d_intermediate \(d) (an MLP per block) is not supported")
        }
        if let layer = try c.decodeIfPresent(String.self, forKey: .layer), layer != "Mamba1" {
            throw ModelConfigError("LC-PLM: layer '\(layer)' is not supported (only Mamba1)")
        }

        let ssm = try c.decodeIfPresent(SsmCfg.self, forKey: .ssmCfg)
        let hf = try c.decodeIfPresent(HFMixer.self, forKey: .hfMixer)
        let expand = hf?.expand ?? ssm?.expand ?? 2
        let rank = hf?.time_step_rank ?? ssm?.dt_rank ?? .auto
        mixer = MambaMixerConfig(hiddenSize: dModel,
                                 intermediateSize: hf?.intermediate_size ?? expand * dModel,
                                 stateSize: hf?.state_size ?? ssm?.d_state ?? 16,
                                 convKernel: hf?.conv_kernel ?? ssm?.d_conv ?? 4,
                                 timeStepRank: rank.value(hidden: dModel),
                                 useBias: hf?.use_bias ?? ssm?.bias ?? false,
                                 useConvBias: hf?.use_conv_bias ?? ssm?.conv_bias ?? true)
        normEpsilon = try c.decodeIfPresent(Float.self, forKey: .normEpsilon) ?? hf?.layer_norm_epsilon ?? 1e-5
    }

    /// The vocabulary of the embedding and the logits.
    public var vocabularySize: Int { paddedVocabSize ?? paddedVocabulary(vocabSize, multiple: padVocabSizeMultiple) }

    func validate() throws {
        try mixer.validate()
        if nLayer < 0 || vocabularySize < vocabSize {
            throw ModelConfigError("LC-PLM needs n_layer >= 0 and padded_vocab_size >= vocab_size")
        }
    }
}
