import SequoiaNN
import SequoiaTensor

/// Token embeddings (the HF port's `embeddings.word_embeddings`), padded vocabulary rows.
public final class HyenaEmbeddings: Module {
    public let wordEmbeddings: Embedding

    override public class var checkpointKeys: [String: String] { ["wordEmbeddings": "word_embeddings"] }

    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        wordEmbeddings = Embedding(config.paddedVocabSize, config.d_model, rng: &rng)
        wordEmbeddings.weight = Tensor.randn([config.paddedVocabSize, config.d_model], std: config.initializer_range,
                                             rng: &rng, requiresGrad: true)
    }

    /// ids [B, L] -> [B, L, d].
    public func callAsFunction(_ ids: IndexTensor) -> Tensor {
        wordEmbeddings(ids)
    }
}
