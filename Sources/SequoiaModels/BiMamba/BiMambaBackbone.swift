import SequoiaNN
import SequoiaTensor

/// LC-PLM's BiMamba-S backbone (`bimamba.backbone.*`): embedding -> BiMamba blocks -> norm_f,
/// giving bidirectional hidden states [B, L, d]. Any length; no step mode (it reads the future).
public final class BiMambaBackbone: Module, Backbone {
    public let embedding: Embedding
    public let layers: [BiMambaBlock]
    @CheckpointKey("norm_f") public private(set) var normF: RMSNorm

    public init(_ config: LcPlmConfig, rng: inout RandomGenerator) {
        embedding = Embedding(config.vocabularySize, config.dModel, rng: &rng)
        embedding.weight = Tensor.randn([config.vocabularySize, config.dModel], std: 0.02, rng: &rng, requiresGrad: true)
        layers = (0..<config.nLayer).map { _ in
            BiMambaBlock(config.mixer, eps: config.epsilon, sharedProjections: config.bidirectionalWeightTie, rng: &rng)
        }
        super.init()
        normF = RMSNorm(config.dModel, eps: config.epsilon)
    }

    public var hiddenSize: Int { embedding.dim }
    public var layerCount: Int { layers.count }
    public var maxLength: Int? { nil }
    public var isCausal: Bool { false }
    public var vocabularySize: Int { embedding.count }

    public func embed(_ ids: IndexTensor) -> Tensor { embedding(ids) }

    /// The reverse scan of each row covers its real positions only, so padding reaches none of them.
    public func forward(embeddings x: Tensor, lengths: [Int]?, states: HiddenStates) -> BackboneOutput {
        checkInput(x, lengths: lengths)
        return runBlocks(layers, x, states: states, block: { $0($1, lengths: lengths) }, finish: { normF($0) })
    }
}
