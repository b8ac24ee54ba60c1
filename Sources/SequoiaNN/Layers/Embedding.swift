import SequoiaTensor

/// Lookup table `weight` [count, dim], initialised N(0, 1) as PyTorch's nn.Embedding.
public final class Embedding: Module {
    public var weight: Tensor

    public init(_ count: Int, _ dim: Int, rng: inout RandomGenerator) {
        weight = Tensor.randn([count, dim], rng: &rng, requiresGrad: true)
    }

    /// Vocabulary size and embedding width, read from the weight.
    public var count: Int { weight.shape[0] }
    public var dim: Int { weight.shape[1] }

    /// ids [...] -> [..., dim].
    public func callAsFunction(_ ids: IndexTensor) -> Tensor {
        embedding(ids, weight: weight)
    }
}
