import SequoiaNN
import SequoiaTensor

/// Pre-norm residual block: h = x + mixer(norm1(x)); out = h + mlp(norm2(h)).
public final class HyenaBlock: Module {
    public let mixer: HyenaOperator
    public let norm1: LayerNorm
    public let mlp: HyenaMLP
    public let norm2: LayerNorm

    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        // The reference rescales the two residual-branch outputs by 1/sqrt(2 n_layer).
        let outputStd = config.initializerRange / Float(2 * config.nLayer).squareRoot()
        mixer = HyenaOperator(config: config, outputStd: outputStd, rng: &rng)
        norm1 = LayerNorm(config.dModel, eps: config.layerNormEpsilon)
        mlp = HyenaMLP(config: config, outputStd: outputStd, rng: &rng)
        norm2 = LayerNorm(config.dModel, eps: config.layerNormEpsilon)
    }

    /// x [B, L, d] -> the residual stream after the block.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        let h = x + mixer(norm1(x))
        return h + mlp(norm2(h))
    }
}
