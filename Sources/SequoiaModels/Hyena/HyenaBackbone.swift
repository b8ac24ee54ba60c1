import SequoiaNN
import SequoiaTensor

/// HyenaDNA without a head: embeddings -> blocks -> ln_f, giving hidden states [B, L, d].
/// Causal: position t depends on inputs 0...t only. Sequences may be up to max_seq_len long.
public final class HyenaBackbone: Module, Backbone {
    public let embeddings: HyenaEmbeddings
    public let dropout: Dropout
    public let layers: [HyenaBlock]
    @CheckpointKey("ln_f") public private(set) var lnF: LayerNorm

    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        embeddings = HyenaEmbeddings(config: config, rng: &rng)
        dropout = Dropout(p: config.embedDropout, rng: RandomGenerator(seed: rng.next()))
        var blocks: [HyenaBlock] = []
        for _ in 0..<config.nLayer { blocks.append(HyenaBlock(config: config, rng: &rng)) }
        layers = blocks
        super.init()
        lnF = LayerNorm(config.dModel, eps: config.layerNormEpsilon)
    }

    public var hiddenSize: Int { embeddings.wordEmbeddings.dim }
    public var layerCount: Int { layers.count }
    /// The longest sequence the implicit filters cover (max_seq_len).
    public var maxLength: Int? { layers.first?.mixer.filterFn.posEmb.maxLength }
    public var isCausal: Bool { true }
    public var vocabularySize: Int { embeddings.wordEmbeddings.count }

    public func embed(_ ids: IndexTensor) -> Tensor { embeddings(ids) }

    /// Embedding dropout, then the blocks and ln_f. Causal, so `lengths` changes nothing.
    public func forward(embeddings x: Tensor, lengths: [Int]?, states: HiddenStates) -> BackboneOutput {
        checkInput(x, lengths: lengths)
        return runBlocks(layers, dropout(x), states: states, block: { $0($1) }, finish: { lnF($0) })
    }
}
