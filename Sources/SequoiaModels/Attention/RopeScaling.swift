/// A RoPE frequency scaling, as Hugging Face transformers 4.49 defines them
/// (`modeling_rope_utils._compute_*_rope_parameters`), plus Sequoia's static `ntk`.
public enum RopeScaling: Equatable, Sendable {
    /// Plain RoPE: inv_freq_i = theta^(-2i/hd).
    case none
    /// Position interpolation: inv_freq / factor.
    case linear(factor: Double)
    /// Dynamic NTK: for sequences longer than `maxPositions` the base grows to
    /// theta * (factor * L / maxPositions - (factor - 1))^(hd / (hd - 2)); shorter ones are unscaled.
    /// L is each call's own length (transformers keeps the longest length it has seen).
    case dynamic(factor: Double, maxPositions: Int)
    /// Static NTK-aware scaling: theta * factor^(hd / (hd - 2)) at every length.
    case ntk(factor: Double)
    /// YaRN: per-dimension blend of interpolated (inv_freq / factor) and extrapolated frequencies
    /// over the beta_fast..beta_slow rotation ramp, and an attention factor folded into cos and sin
    /// (default 0.1 ln(factor) + 1).
    case yarn(factor: Double, maxPositions: Int, betaFast: Double, betaSlow: Double, attentionFactor: Double?)
    /// Llama 3.1: long wavelengths divided by factor, short ones kept, a smooth blend in between.
    case llama3(factor: Double, lowFrequencyFactor: Double, highFrequencyFactor: Double, originalMaxPositions: Int)
    /// Visual context extension (VCWE, Wei and Chen 2024, Eq. 3-5): YaRN's NTK-by-parts measured
    /// against the trained visual window. At length L > trainedLength, s = L / trainedLength; each
    /// dimension's wavelength lambda_i = 2 pi b^(2i/d) gives r_i = trainedLength / lambda_i and the ramp
    /// gamma_i = clamp((r_i - alpha) / (beta - alpha), 0, 1); theta'_i = gamma theta_i + (1 - gamma) theta_i / s.
    /// Shorter sequences are unscaled. No attention temperature.
    case visual(trainedLength: Int, alpha: Double, beta: Double)
    /// Position interpolation by length (Sequoia's `pi`): at length L > trainedLength every
    /// frequency is divided by L / trainedLength, so positions stay within the trained range.
    case interpolation(trainedLength: Int)
}

/// The `rope_scaling` object of a Hugging Face config (`rope_type`, or the older `type`); its keys
/// are snake_case on disk, as every model config's (`ModelConfigCoding`).
public struct RopeScalingConfig: Codable, Equatable, Sendable {
    public var ropeType: String?
    public var type: String?
    public var factor: Double?
    public var originalMaxPositionEmbeddings: Int?
    public var betaFast: Double?
    public var betaSlow: Double?
    public var attentionFactor: Double?
    public var lowFreqFactor: Double?
    public var highFreqFactor: Double?

    public init(ropeType: String, factor: Double? = nil, originalMaxPositionEmbeddings: Int? = nil,
                betaFast: Double? = nil, betaSlow: Double? = nil, attentionFactor: Double? = nil,
                lowFreqFactor: Double? = nil, highFreqFactor: Double? = nil) {
        self.ropeType = ropeType
        self.factor = factor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
        self.betaFast = betaFast
        self.betaSlow = betaSlow
        self.attentionFactor = attentionFactor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
    }

    /// The scaling this object describes. As in transformers 4.49, dynamic NTK and YaRN measure
    /// lengths against the config's `max_position_embeddings`; llama3 uses the
    /// `original_max_position_embeddings` given here.
    public func scaling(maxPositionEmbeddings: Int) throws -> RopeScaling {
        let kind = ropeType ?? type ?? "default"
        if kind == "default" { return .none }
        if kind == "vcwe" { return try visualScaling(maxPositionEmbeddings: maxPositionEmbeddings) }
        if kind == "pi" { return .interpolation(trainedLength: originalMaxPositionEmbeddings ?? maxPositionEmbeddings) }
        guard let factor else { throw ModelConfigError("rope_scaling '\(kind)' needs a factor") }
        guard factor > 0 else { throw ModelConfigError("rope_scaling factor must be positive, got \(factor)") }
        switch kind {
        case "linear":
            return .linear(factor: factor)
        case "dynamic":
            return .dynamic(factor: factor, maxPositions: maxPositionEmbeddings)
        case "ntk":
            return .ntk(factor: factor)
        case "yarn":
            // HF reads these with `or`, so 0 also means the default.
            let fast = betaFast.flatMap { $0 == 0 ? nil : $0 } ?? 32
            let slow = betaSlow.flatMap { $0 == 0 ? nil : $0 } ?? 1
            return .yarn(factor: factor, maxPositions: maxPositionEmbeddings, betaFast: fast, betaSlow: slow,
                         attentionFactor: attentionFactor)
        case "llama3":
            guard let lowFreqFactor, let highFreqFactor, let originalMaxPositionEmbeddings else {
                throw ModelConfigError("rope_scaling 'llama3' needs low_freq_factor, high_freq_factor and original_max_position_embeddings")
            }
            guard highFreqFactor > lowFreqFactor else {
                throw ModelConfigError("rope_scaling 'llama3' needs high_freq_factor > low_freq_factor")
            }
            return .llama3(factor: factor, lowFrequencyFactor: lowFreqFactor, highFrequencyFactor: highFreqFactor,
                           originalMaxPositions: originalMaxPositionEmbeddings)
        default:
            throw ModelConfigError("rope_scaling type '\(kind)' is not supported (default, linear, dynamic, ntk, yarn, llama3, vcwe, pi)")
        }
    }

    /// `vcwe`: the visual window is `original_max_position_embeddings` (else the trained
    /// `max_position_embeddings`); YaRN's `beta_slow` and `beta_fast` are VCWE's alpha and beta.
    private func visualScaling(maxPositionEmbeddings: Int) throws -> RopeScaling {
        let alpha = betaSlow.flatMap { $0 == 0 ? nil : $0 } ?? 1, beta = betaFast.flatMap { $0 == 0 ? nil : $0 } ?? 32
        let window = originalMaxPositionEmbeddings ?? maxPositionEmbeddings
        guard window > 0, beta > alpha else {
            throw ModelConfigError("rope_scaling 'vcwe' needs a positive visual window and beta_fast > beta_slow")
        }
        return .visual(trainedLength: window, alpha: alpha, beta: beta)
    }
}
