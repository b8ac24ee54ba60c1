import SequoiaNN
import SequoiaTensor

/// Token embeddings (the HF port's `embeddings.word_embeddings`), padded vocabulary rows.
public final class HyenaEmbeddings: Module {
    @CheckpointKey("word_embeddings") public private(set) var wordEmbeddings: Embedding

    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        let table = Embedding(config.paddedVocabSize, config.dModel, rng: &rng)
        table.weight = Tensor.randn([config.paddedVocabSize, config.dModel], std: config.initializerRange,
                                    rng: &rng, requiresGrad: true)
        super.init()
        wordEmbeddings = table
    }

    /// ids [B, L] -> [B, L, d].
    public func callAsFunction(_ ids: IndexTensor) -> Tensor {
        wordEmbeddings(ids)
    }
}
