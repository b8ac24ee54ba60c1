import SequoiaNN
import SequoiaTensor

/// Embeddings -> pre-norm attention blocks -> final RMSNorm (HF `LlamaModel`: `embed_tokens`,
/// `layers.N`, `norm`). Causal or bidirectional; no length limit (RoPE extrapolates, or is rescaled).
public final class TransformerBackbone: Module, Backbone {
    @CheckpointKey("embed_tokens") public private(set) var embedTokens: Embedding
    public let layers: [TransformerBlock]
    public let norm: RMSNorm
    public let config: AttentionConfig
    public let rotary: RotaryEmbedding

    public init(config: AttentionConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        rotary = RotaryEmbedding(headDim: config.headDim, theta: config.ropeTheta, scaling: try config.rotaryScaling())
        let embedding = Embedding(config.vocabSize, config.hiddenSize, rng: &rng)
        layers = (0..<config.numHiddenLayers).map { _ in TransformerBlock(config: config, rng: &rng) }
        norm = RMSNorm(config.hiddenSize, eps: Float(config.rmsNormEps))
        super.init()
        embedTokens = embedding
    }

    public var hiddenSize: Int { config.hiddenSize }
    public var layerCount: Int { layers.count }
    public var maxLength: Int? { nil }
    public var isCausal: Bool { config.causal }
    public var vocabularySize: Int { embedTokens.count }

    public func embed(_ ids: IndexTensor) -> Tensor { embedTokens(ids) }

    /// `lengths` masks each row's padded keys, so no real position attends to padding.
    public func forward(embeddings x: Tensor, lengths: [Int]?, states: HiddenStates) -> BackboneOutput {
        checkInput(x, lengths: lengths)
        // The tables are built once per call and shared by every layer (dynamic NTK depends on L).
        let (cos, sin) = rotary.tables(length: x.shape[1])
        return runBlocks(layers, x, states: states, block: { $0($1, cos: cos, sin: sin, keyLengths: lengths) },
                         finish: { norm($0) })
    }

    /// A key/value cache; a bidirectional model has no step mode (each position reads later ones).
    public func makeStepState(batch: Int) -> (any BackboneStepState)? {
        config.causal ? AttentionCache(layers: layers.count) : nil
    }

    /// The new positions' rotary tables use the frequencies of the whole sequence so far (as
    /// transformers' cache does), so under dynamic NTK earlier keys keep the frequencies they had.
    public func step(embeddings x: Tensor, state: any BackboneStepState) -> Tensor {
        guard let cache = state as? AttentionCache, cache.layers.count == layers.count else {
            preconditionFailure("TransformerBackbone.step needs the AttentionCache this backbone made")
        }
        let start = cache.position, end = start + x.shape[1]
        let (cos, sin) = rotary.tables(positions: start..<end, sequenceLength: end)
        var h = x
        for (i, layer) in layers.enumerated() { h = layer.step(h, cos: cos, sin: sin, cache: &cache.layers[i]) }
        cache.position = end
        return norm(h)
    }
}

/// Every layer's rotated keys and values [B, P, kvHeads, hd] for the P positions seen so far.
public final class AttentionCache: BackboneStepState {
    var layers: [(keys: Tensor, values: Tensor)?]
    public internal(set) var position = 0

    init(layers: Int) {
        self.layers = Array(repeating: nil, count: layers)
    }
}
