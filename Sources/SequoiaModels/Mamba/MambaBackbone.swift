import SequoiaNN
import SequoiaTensor

/// transformers' `MambaModel` (`backbone.*`): embeddings -> Mamba blocks -> norm_f. Causal, any length.
public final class MambaBackbone: Module, Backbone {
    public let embeddings: Embedding
    public let layers: [MambaBlock]
    @CheckpointKey("norm_f") public private(set) var normF: RMSNorm

    public init(_ config: MambaConfig, rng: inout RandomGenerator) {
        embeddings = Embedding(config.paddedVocabSize, config.hiddenSize, rng: &rng)
        embeddings.weight = Tensor.randn([config.paddedVocabSize, config.hiddenSize], std: config.initializerRange,
                                         rng: &rng, requiresGrad: true)
        layers = (0..<config.numHiddenLayers).map { _ in MambaBlock(config.mixer, eps: config.layerNormEpsilon, rng: &rng) }
        super.init()
        normF = RMSNorm(config.hiddenSize, eps: config.layerNormEpsilon)
    }

    public var hiddenSize: Int { embeddings.dim }
    public var layerCount: Int { layers.count }
    public var maxLength: Int? { nil }
    public var isCausal: Bool { true }
    public var vocabularySize: Int { embeddings.count }

    public func embed(_ ids: IndexTensor) -> Tensor { embeddings(ids) }

    /// Causal, so right padding never reaches a real position: `lengths` changes nothing.
    public func forward(embeddings x: Tensor, lengths: [Int]?, states: HiddenStates) -> BackboneOutput {
        checkInput(x, lengths: lengths)
        return runBlocks(layers, x, states: states, block: { $0($1) }, finish: { normF($0) })
    }

    public func makeStepState(batch: Int) -> (any BackboneStepState)? {
        MambaCache(batch: batch, backbone: self)
    }

    public func step(embeddings x: Tensor, state: any BackboneStepState) -> Tensor {
        guard let cache = state as? MambaCache, cache.layers.count == layers.count else {
            preconditionFailure("MambaBackbone.step needs the MambaCache this backbone made")
        }
        var h = x
        for (i, layer) in layers.enumerated() { h = layer.step(h, state: &cache.layers[i]) }
        cache.position += x.shape[1]
        return normF(h)
    }
}

/// The recurrent state of every layer of a Mamba backbone, for token-by-token generation.
public final class MambaCache: BackboneStepState {
    public var layers: [MambaLayerState]
    public internal(set) var position = 0

    /// The state before the first token, for `batch` sequences.
    public init(batch: Int, backbone: MambaBackbone) {
        layers = backbone.layers.map { MambaLayerState(batch: batch, mixer: $0.mixer) }
    }
}
