import SequoiaTensor

/// LayerNorm over the last dimension with optional `weight` (ones) and `bias` (zeros).
public final class LayerNorm: Module {
    public var weight: Tensor?
    public var bias: Tensor?
    public let eps: Float

    /// `affine: false` drops both weight and bias; `bias: false` keeps only the weight.
    public init(_ dim: Int, eps: Float = 1e-5, affine: Bool = true, bias: Bool = true) {
        self.eps = eps
        weight = affine ? Tensor.ones([dim], requiresGrad: true) : nil
        self.bias = affine && bias ? Tensor.zeros([dim], requiresGrad: true) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        layerNorm(x, weight: weight, bias: bias, eps: eps)
    }
}
