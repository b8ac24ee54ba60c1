import SequoiaNN
import SequoiaTensor

/// One pre-norm decoder layer: h + attn(norm(h)), then h + mlp(norm(h)) (HF Llama's layer names).
public final class TransformerBlock: Module {
    @CheckpointKey("self_attn") public private(set) var selfAttn: SelfAttention
    public let mlp: GatedMLP
    @CheckpointKey("input_layernorm") public private(set) var inputLayernorm: RMSNorm
    @CheckpointKey("post_attention_layernorm") public private(set) var postAttentionLayernorm: RMSNorm

    public init(config: AttentionConfig, rng: inout RandomGenerator) {
        let attention = SelfAttention(config: config, rng: &rng)
        mlp = GatedMLP(hidden: config.hiddenSize, intermediate: config.intermediateSize, bias: config.mlpBias, rng: &rng)
        super.init()
        selfAttn = attention
        inputLayernorm = RMSNorm(config.hiddenSize, eps: Float(config.rmsNormEps))
        postAttentionLayernorm = RMSNorm(config.hiddenSize, eps: Float(config.rmsNormEps))
    }

    /// h [B, L, d] -> [B, L, d], with rotary tables [L, hd/2].
    public func callAsFunction(_ h: Tensor, cos: Tensor, sin: Tensor, keyLengths: [Int]? = nil) -> Tensor {
        let afterAttention = h + selfAttn(inputLayernorm(h), cos: cos, sin: sin, keyLengths: keyLengths)
        return afterAttention + mlp(postAttentionLayernorm(afterAttention))
    }

    /// Step mode over h [B, T, d], extending this layer's key/value `cache`.
    public func step(_ h: Tensor, cos: Tensor, sin: Tensor, cache: inout (keys: Tensor, values: Tensor)?) -> Tensor {
        let afterAttention = h + selfAttn.step(inputLayernorm(h), cos: cos, sin: sin, cache: &cache)
        return afterAttention + mlp(postAttentionLayernorm(afterAttention))
    }
}
