// STUB: owned by helper H3; replace every body.
/// Matrix product through cblas_sgemm. a: [..., M, K] (or [..., K, M] with transposeA),
/// b: [K, N] (or [N, K] with transposeB), or batched b: [..., K, N] with the same leading dims as a.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    fatalError("unimplemented")
}

/// y = x W^T + b with W stored [out, in] (PyTorch's Linear); x: [..., in].
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor { fatalError("unimplemented") }
