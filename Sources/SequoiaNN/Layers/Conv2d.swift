import SequoiaTensor

/// 2-D convolution with `weight` [out, in, k, k] and `bias` [out], as PyTorch's nn.Conv2d.
public final class Conv2d: Module {
    public var weight: Tensor
    public var bias: Tensor?
    public let stride: Int
    public let padding: Int

    /// PyTorch's default init: weight and bias uniform in ±1/sqrt(in * k * k).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout RandomGenerator) {
        self.stride = stride
        self.padding = padding
        let bound = 1 / Float(inChannels * kernelSize * kernelSize).squareRoot()
        weight = Tensor.uniform([outChannels, inChannels, kernelSize, kernelSize], low: -bound, high: bound,
                                rng: &rng, requiresGrad: true)
        self.bias = bias ? Tensor.uniform([outChannels], low: -bound, high: bound, rng: &rng, requiresGrad: true) : nil
    }

    /// x [B, in, H, W] -> [B, out, H', W'].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
