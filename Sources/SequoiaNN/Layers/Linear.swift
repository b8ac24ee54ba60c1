import SequoiaTensor

/// y = x W^T + b, with `weight` [out, in] and `bias` [out] as PyTorch's nn.Linear.
public final class Linear: Module {
    public var weight: Tensor
    public var bias: Tensor?

    /// PyTorch's default init: weight and bias uniform in ±1/sqrt(inFeatures).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, rng: inout RandomGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        weight = Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, rng: &rng, requiresGrad: true)
        self.bias = bias ? Tensor.uniform([outFeatures], low: -bound, high: bound, rng: &rng, requiresGrad: true) : nil
    }

    /// Input and output widths, read from the weight.
    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// x [..., in] -> [..., out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        linear(x, weight: weight, bias: bias)
    }
}
