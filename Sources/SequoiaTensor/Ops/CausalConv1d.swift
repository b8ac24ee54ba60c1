// STUB: owned by helper H4; replace every body.
/// Causal depthwise conv over time, channels last: x [B, L, C], weight [C, K], bias [C].
/// out[b, t, c] = bias[c] + sum_k weight[c, k] * x[b, t - (K-1) + k, c] (zeros before t = 0).
public func causalDepthwiseConv1d(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor { fatalError("unimplemented") }
