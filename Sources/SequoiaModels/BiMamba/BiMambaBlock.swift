import SequoiaNN
import SequoiaTensor

/// A BiMamba-S layer: h + BiMambaMixer(RMSNorm(h)).
public final class BiMambaBlock: Module {
    public let norm: RMSNorm
    public let mixer: BiMambaMixer

    public init(_ config: MambaMixerConfig, eps: Float, sharedProjections: Bool, rng: inout RandomGenerator) {
        norm = RMSNorm(config.hiddenSize, eps: eps)
        mixer = BiMambaMixer(config, sharedProjections: sharedProjections, rng: &rng)
    }

    /// h [B, L, d] -> [B, L, d]; `lengths` as in `BiMambaMixer`.
    public func callAsFunction(_ h: Tensor, lengths: [Int]? = nil) -> Tensor {
        h + mixer(norm(h), lengths: lengths)
    }
}
