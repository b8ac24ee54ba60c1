import SequoiaNN
import SequoiaTensor

/// LC-PLM's BiMamba-S backbone (`bimamba.backbone.*`): embedding -> BiMamba blocks -> norm_f,
/// giving bidirectional hidden states [B, L, d] for domain heads.
public final class BiMambaBackbone: Module {
    public let embedding: Embedding
    public let layers: [BiMambaBlock]
    public let norm_f: RMSNorm

    public init(_ config: LcPlmConfig, rng: inout RandomGenerator) {
        embedding = Embedding(config.vocabularySize, config.dModel, rng: &rng)
        embedding.weight = Tensor.randn([config.vocabularySize, config.dModel], std: 0.02, rng: &rng, requiresGrad: true)
        layers = (0..<config.nLayer).map { _ in
            BiMambaBlock(config.mixer, eps: config.normEpsilon, sharedProjections: config.bidirectionalWeightTie, rng: &rng)
        }
        norm_f = RMSNorm(config.dModel, eps: config.normEpsilon)
    }

    /// Model width d.
    public var hiddenSize: Int { embedding.dim }

    /// ids [B, L] -> final hidden states [B, L, d] (after norm_f). With right padding, pass each
    /// row's real length: the outputs at real positions are then those of the unpadded rows.
    public func callAsFunction(_ ids: IndexTensor, lengths: [Int]? = nil) -> Tensor {
        callAsFunction(embeddings: embedding(ids), lengths: lengths)
    }

    /// Input embeddings [B, L, d] -> final hidden states [B, L, d] (after norm_f).
    public func callAsFunction(embeddings x: Tensor, lengths: [Int]? = nil) -> Tensor {
        norm_f(layers.reduce(x) { h, layer in layer(h, lengths: lengths) })
    }

    /// The residual stream after each block, then norm_f of the last (n_layer + 1 tensors, the
    /// transformers-Mamba convention).
    public func hiddenStates(embeddings x: Tensor, lengths: [Int]? = nil) -> [Tensor] {
        var states: [Tensor] = []
        var h = x
        for layer in layers {
            h = layer(h, lengths: lengths)
            states.append(h)
        }
        states.append(norm_f(h))
        return states
    }
}
