import SequoiaNN
import SequoiaTensor

/// Multi-head self-attention with grouped key/value heads and rotary positions (HF Llama's
/// `self_attn`: `q_proj`, `k_proj`, `v_proj`, `o_proj`).
public final class SelfAttention: Module {
    @CheckpointKey("q_proj") public private(set) var qProj: Linear
    @CheckpointKey("k_proj") public private(set) var kProj: Linear
    @CheckpointKey("v_proj") public private(set) var vProj: Linear
    @CheckpointKey("o_proj") public private(set) var oProj: Linear
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    public let causal: Bool
    public let window: Int?

    public init(config: AttentionConfig, rng: inout RandomGenerator) {
        let (d, hd) = (config.hiddenSize, config.headDim)
        heads = config.numAttentionHeads
        kvHeads = config.numKeyValueHeads
        headDim = hd
        causal = config.causal
        window = config.slidingWindow
        let q = Linear(d, heads * hd, bias: config.attentionBias, rng: &rng)
        let k = Linear(d, kvHeads * hd, bias: config.attentionBias, rng: &rng)
        let v = Linear(d, kvHeads * hd, bias: config.attentionBias, rng: &rng)
        let o = Linear(heads * hd, d, bias: config.attentionBias, rng: &rng)
        super.init()
        (qProj, kProj, vProj, oProj) = (q, k, v, o)
    }

    /// x [B, L, d] -> [B, L, d]. `cos`/`sin` are the rotary tables [L, hd/2]; `keyLengths`
    /// masks right padding per batch row.
    public func callAsFunction(_ x: Tensor, cos: Tensor, sin: Tensor, keyLengths: [Int]? = nil) -> Tensor {
        let (q, k, v) = project(x, cos: cos, sin: sin)
        return output(scaledDotProductAttention(q: q, k: k, v: v, causal: causal, window: window, keyLengths: keyLengths))
    }

    /// Step mode: x [B, T, d] at the T positions after those in `cache`, with their rotary tables
    /// [T, hd/2]; attends to the cached keys and values and appends this step's.
    public func step(_ x: Tensor, cos: Tensor, sin: Tensor, cache: inout (keys: Tensor, values: Tensor)?) -> Tensor {
        let (q, k, v) = project(x, cos: cos, sin: sin)
        let keys = cache.map { Tensor.concatenate([$0.keys, k], axis: 1) } ?? k
        let values = cache.map { Tensor.concatenate([$0.values, v], axis: 1) } ?? v
        cache = (keys, values)
        // The queries are the last T of the keys' positions, which is how the kernel aligns them.
        return output(scaledDotProductAttention(q: q, k: keys, v: values, causal: causal, window: window))
    }

    /// Rotated queries [B, L, heads, hd] and keys, and values [B, L, kvHeads, hd]: the projections'
    /// own layout, so the reshapes copy nothing.
    private func project(_ x: Tensor, cos: Tensor, sin: Tensor) -> (Tensor, Tensor, Tensor) {
        let (b, l) = (x.shape[0], x.shape[1])
        let q = applyRotary(qProj(x).reshaped([b, l, heads, headDim]), cos: cos, sin: sin)
        let k = applyRotary(kProj(x).reshaped([b, l, kvHeads, headDim]), cos: cos, sin: sin)
        return (q, k, vProj(x).reshaped([b, l, kvHeads, headDim]))
    }

    private func output(_ o: Tensor) -> Tensor {
        oProj(o.reshaped([o.shape[0], o.shape[1], heads * headDim]))
    }
}
