import SequoiaNN
import SequoiaTensor

/// One pre-norm decoder layer: h + attn(norm(h)), then h + mlp(norm(h)) (HF Llama's layer names).
public final class TransformerBlock: Module {
    public var selfAttn: SelfAttention
    public var mlp: GatedMLP
    public var inputLayernorm: RMSNorm
    public var postAttentionLayernorm: RMSNorm

    public override class var checkpointKeys: [String: String] {
        ["selfAttn": "self_attn", "inputLayernorm": "input_layernorm", "postAttentionLayernorm": "post_attention_layernorm"]
    }

    public init(config: AttentionConfig, rng: inout RandomGenerator) {
        selfAttn = SelfAttention(config: config, rng: &rng)
        mlp = GatedMLP(hidden: config.hiddenSize, intermediate: config.intermediateSize, bias: config.mlpBias, rng: &rng)
        inputLayernorm = RMSNorm(config.hiddenSize, eps: Float(config.rmsNormEps))
        postAttentionLayernorm = RMSNorm(config.hiddenSize, eps: Float(config.rmsNormEps))
    }

    /// h [B, L, d] -> [B, L, d], with rotary tables [L, hd/2].
    public func callAsFunction(_ h: Tensor, cos: Tensor, sin: Tensor, keyLengths: [Int]? = nil) -> Tensor {
        let afterAttention = h + selfAttn(inputLayernorm(h), cos: cos, sin: sin, keyLengths: keyLengths)
        return afterAttention + mlp(postAttentionLayernorm(afterAttention))
    }
}
