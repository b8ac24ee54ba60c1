import SequoiaNN
import SequoiaTensor

/// transformers' `MambaModel` (`backbone.*`): embeddings -> Mamba blocks -> norm_f. Domain
/// plugins put their own heads on its output [B, L, d].
public final class MambaBackbone: Module {
    public let embeddings: Embedding
    public let layers: [MambaBlock]
    public let norm_f: RMSNorm

    public init(_ config: MambaConfig, rng: inout RandomGenerator) {
        embeddings = Embedding(config.paddedVocabSize, config.hiddenSize, rng: &rng)
        embeddings.weight = Tensor.randn([config.paddedVocabSize, config.hiddenSize], std: config.initializerRange,
                                         rng: &rng, requiresGrad: true)
        layers = (0..<config.numHiddenLayers).map { _ in MambaBlock(config.mixer, eps: config.layerNormEpsilon, rng: &rng) }
        norm_f = RMSNorm(config.hiddenSize, eps: config.layerNormEpsilon)
    }

    /// Model width d.
    public var hiddenSize: Int { embeddings.dim }

    /// ids [B, L] -> final hidden states [B, L, d] (after norm_f).
    public func callAsFunction(_ ids: IndexTensor) -> Tensor {
        callAsFunction(embeddings: embeddings(ids))
    }

    /// Input embeddings [B, L, d] -> final hidden states [B, L, d] (after norm_f).
    public func callAsFunction(embeddings x: Tensor) -> Tensor {
        norm_f(layers.reduce(x) { h, layer in layer(h) })
    }

    /// The residual stream after each block, then norm_f of the last (n_layer + 1 tensors, HF's
    /// `output_hidden_states` without the embedding).
    public func hiddenStates(embeddings x: Tensor) -> [Tensor] {
        var states: [Tensor] = []
        var h = x
        for layer in layers {
            h = layer(h)
            states.append(h)
        }
        states.append(norm_f(h))
        return states
    }

    /// Recurrent mode: embeddings [B, T, d] following those already seen by `cache` -> final
    /// hidden states [B, T, d], advancing `cache`.
    public func step(embeddings x: Tensor, cache: inout MambaCache) -> Tensor {
        precondition(cache.layers.count == layers.count, "MambaBackbone.step: the cache has \(cache.layers.count) layers, the model \(layers.count)")
        var h = x
        for (i, layer) in layers.enumerated() { h = layer.step(h, state: &cache.layers[i]) }
        return norm_f(h)
    }
}

/// The recurrent state of every layer of a Mamba backbone, for token-by-token generation.
public struct MambaCache {
    public var layers: [MambaLayerState]

    /// The state before the first token, for `batch` sequences.
    public init(batch: Int, backbone: MambaBackbone) {
        layers = backbone.layers.map { MambaLayerState(batch: batch, mixer: $0.mixer) }
    }
}
