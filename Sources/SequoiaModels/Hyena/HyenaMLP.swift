import SequoiaNN
import SequoiaTensor

/// The block's feed-forward: fc2(GELU_tanh(fc1(x))).
public final class HyenaMLP: Module {
    public let fc1: Linear
    public let fc2: Linear

    public init(config: HyenaConfig, outputStd: Float, rng: inout RandomGenerator) {
        fc1 = hyenaLinear(config.dModel, config.dInner, bias: true, std: config.initializerRange, rng: &rng)
        fc2 = hyenaLinear(config.dInner, config.dModel, bias: true, std: outputStd, rng: &rng)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        fc2(fc1(x).geluTanh())
    }
}
