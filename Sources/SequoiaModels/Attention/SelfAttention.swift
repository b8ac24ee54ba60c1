import SequoiaNN
import SequoiaTensor

/// Multi-head self-attention with grouped key/value heads and rotary positions (HF Llama's
/// `self_attn`: `q_proj`, `k_proj`, `v_proj`, `o_proj`).
public final class SelfAttention: Module {
    public var qProj: Linear
    public var kProj: Linear
    public var vProj: Linear
    public var oProj: Linear
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int
    public let causal: Bool
    public let window: Int?

    public override class var checkpointKeys: [String: String] {
        ["qProj": "q_proj", "kProj": "k_proj", "vProj": "v_proj", "oProj": "o_proj"]
    }

    public init(config: AttentionConfig, rng: inout RandomGenerator) {
        let (d, hd) = (config.hiddenSize, config.headDim)
        heads = config.numAttentionHeads
        kvHeads = config.numKeyValueHeads
        headDim = hd
        causal = config.causal
        window = config.slidingWindow
        qProj = Linear(d, heads * hd, bias: config.attentionBias, rng: &rng)
        kProj = Linear(d, kvHeads * hd, bias: config.attentionBias, rng: &rng)
        vProj = Linear(d, kvHeads * hd, bias: config.attentionBias, rng: &rng)
        oProj = Linear(heads * hd, d, bias: config.attentionBias, rng: &rng)
    }

    /// x [B, L, d] -> [B, L, d]. `cos`/`sin` are the rotary tables [L, hd/2]; `keyLengths`
    /// masks right padding per batch row.
    public func callAsFunction(_ x: Tensor, cos: Tensor, sin: Tensor, keyLengths: [Int]? = nil) -> Tensor {
        let (b, l) = (x.shape[0], x.shape[1])
        // [B, L, heads, hd] is the projections' own layout, so the reshapes copy nothing.
        let q = applyRotary(qProj(x).reshaped([b, l, heads, headDim]), cos: cos, sin: sin)
        let k = applyRotary(kProj(x).reshaped([b, l, kvHeads, headDim]), cos: cos, sin: sin)
        let v = vProj(x).reshaped([b, l, kvHeads, headDim])
        let o = scaledDotProductAttention(q: q, k: k, v: v, causal: causal, window: window, keyLengths: keyLengths)
        return oProj(o.reshaped([b, l, heads * headDim]))
    }
}
