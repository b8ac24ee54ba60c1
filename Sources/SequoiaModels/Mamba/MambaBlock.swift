import SequoiaNN
import SequoiaTensor

/// A Mamba layer: h + mixer(RMSNorm(h)); there is no MLP.
public final class MambaBlock: Module {
    public let norm: RMSNorm
    public let mixer: MambaMixer

    public init(_ config: MambaMixerConfig, eps: Float, rng: inout RandomGenerator) {
        norm = RMSNorm(config.hiddenSize, eps: eps)
        mixer = MambaMixer(config, rng: &rng)
    }

    /// h [B, L, d] -> [B, L, d].
    public func callAsFunction(_ h: Tensor) -> Tensor {
        h + mixer(norm(h))
    }

    /// Recurrent mode over h [B, T, d], advancing `state`.
    public func step(_ h: Tensor, state: inout MambaLayerState) -> Tensor {
        h + mixer.step(norm(h), state: &state)
    }
}
