import SequoiaNN
import SequoiaTensor

/// HyenaDNA without a head: embeddings -> blocks -> ln_f, giving hidden states [B, L, d].
/// Causal: position t depends on inputs 0...t only. Sequences may be up to max_seq_len long.
public final class HyenaBackbone: Module {
    public let embeddings: HyenaEmbeddings
    public let dropout: Dropout
    public let layers: [HyenaBlock]
    public let lnF: LayerNorm

    override public class var checkpointKeys: [String: String] { ["lnF": "ln_f"] }

    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        embeddings = HyenaEmbeddings(config: config, rng: &rng)
        dropout = Dropout(p: config.embed_dropout, rng: RandomGenerator(seed: rng.next()))
        var blocks: [HyenaBlock] = []
        for _ in 0..<config.n_layer { blocks.append(HyenaBlock(config: config, rng: &rng)) }
        layers = blocks
        lnF = LayerNorm(config.d_model, eps: config.layer_norm_epsilon)
    }

    /// Model width d.
    public var width: Int { embeddings.wordEmbeddings.dim }
    /// The longest sequence the implicit filters cover (max_seq_len).
    public var maxLength: Int { layers.first?.mixer.filterFn.posEmb.maxLength ?? Int.max }

    /// ids [B, L] -> final hidden states [B, L, d] (after ln_f).
    public func callAsFunction(_ ids: IndexTensor) -> Tensor {
        forward(embeddings: embeddings(ids)).output
    }

    /// Embeddings [B, L, d] (e.g. from a plugin's own input layer) -> final hidden states [B, L, d].
    public func callAsFunction(embeddings x: Tensor) -> Tensor {
        forward(embeddings: x).output
    }

    /// Runs the blocks on embeddings [B, L, d]. With `collectHiddenStates`, also returns the
    /// HF port's n_layer + 2 states: the embeddings, each block's output, and the ln_f output.
    public func forward(embeddings x: Tensor, collectHiddenStates: Bool = false) -> (output: Tensor, hiddenStates: [Tensor]) {
        precondition(x.rank == 3 && x.shape[2] == width, "HyenaBackbone needs embeddings [B, L, \(width)], got \(x.shape)")
        var states: [Tensor] = collectHiddenStates ? [x] : []
        var h = dropout(x)
        for layer in layers {
            h = layer(h)
            if collectHiddenStates { states.append(h) }
        }
        let out = lnF(h)
        if collectHiddenStates { states.append(out) }
        return (out, states)
    }
}
