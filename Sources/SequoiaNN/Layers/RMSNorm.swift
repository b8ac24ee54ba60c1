import SequoiaTensor

/// RMSNorm over the last dimension with a learned `weight` (ones), as in Mamba.
public final class RMSNorm: Module {
    public var weight: Tensor
    public let eps: Float

    public init(_ dim: Int, eps: Float = 1e-5) {
        self.eps = eps
        weight = Tensor.ones([dim], requiresGrad: true)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        rmsNorm(x, weight: weight, eps: eps)
    }
}
