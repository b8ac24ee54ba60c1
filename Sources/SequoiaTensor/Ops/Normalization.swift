// STUB: owned by helper H3; replace every body.
/// LayerNorm over the last dimension (biased variance, as PyTorch).
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor { fatalError("unimplemented") }
/// RMSNorm over the last dimension: w * x / sqrt(mean(x^2) + eps).
public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) -> Tensor { fatalError("unimplemented") }
