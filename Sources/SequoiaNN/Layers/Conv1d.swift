import SequoiaTensor

/// The causal depthwise convolution of Mamba and Hyena. Stores `weight` [C, 1, K] and
/// `bias` [C] exactly like PyTorch's nn.Conv1d(C, C, K, groups: C) so checkpoints load;
/// runs on channels-last input with the left padding that makes it causal.
public final class Conv1d: Module {
    public var weight: Tensor
    public var bias: Tensor?

    /// PyTorch's default init: fan-in is K per channel, so weight and bias are uniform in ±1/sqrt(K).
    public init(channels: Int, kernelSize: Int, bias: Bool = true, rng: inout RandomGenerator) {
        let bound = 1 / Float(kernelSize).squareRoot()
        weight = Tensor.uniform([channels, 1, kernelSize], low: -bound, high: bound, rng: &rng, requiresGrad: true)
        self.bias = bias ? Tensor.uniform([channels], low: -bound, high: bound, rng: &rng, requiresGrad: true) : nil
    }

    /// Channel count and kernel width, read from the weight.
    public var channels: Int { weight.shape[0] }
    public var kernelSize: Int { weight.shape[2] }

    /// x [B, L, C] -> [B, L, C]; output t sees inputs t-K+1 ... t.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        causalDepthwiseConv1d(x, weight: weight.reshaped([channels, kernelSize]), bias: bias)
    }
}
