import SequoiaNN
import SequoiaTensor

/// Embeddings -> pre-norm attention blocks -> final RMSNorm (HF `LlamaModel`: `embed_tokens`,
/// `layers.N`, `norm`). Domain plugins put their own heads on its hidden states [B, L, d].
public final class TransformerBackbone: Module {
    public var embedTokens: Embedding
    public var layers: [TransformerBlock]
    public var norm: RMSNorm
    public let config: AttentionConfig
    public let rotary: RotaryEmbedding

    public override class var checkpointKeys: [String: String] { ["embedTokens": "embed_tokens"] }

    public init(config: AttentionConfig, rng: inout RandomGenerator) throws {
        try config.validate()
        self.config = config
        rotary = RotaryEmbedding(headDim: config.headDim, theta: config.ropeTheta, scaling: try config.rotaryScaling())
        embedTokens = Embedding(config.vocabSize, config.hiddenSize, rng: &rng)
        layers = (0..<config.numHiddenLayers).map { _ in TransformerBlock(config: config, rng: &rng) }
        norm = RMSNorm(config.hiddenSize, eps: Float(config.rmsNormEps))
    }

    /// ids [B, L] -> final-norm hidden states [B, L, d].
    public func callAsFunction(_ ids: IndexTensor, keyLengths: [Int]? = nil) -> Tensor {
        callAsFunction(embeddings: embedTokens(ids), keyLengths: keyLengths)
    }

    /// Input embeddings [B, L, d] (for plugins with their own input layer) -> hidden states [B, L, d].
    /// `keyLengths` gives each batch row's real length when rows are right-padded.
    public func callAsFunction(embeddings: Tensor, keyLengths: [Int]? = nil) -> Tensor {
        forward(embeddings: embeddings, keyLengths: keyLengths).output
    }

    /// The final-norm output and HF's `output_hidden_states` list (n_layer + 1 tensors): the
    /// embeddings, the outputs of layers 0..n-2, then the final norm.
    public func forward(embeddings: Tensor, keyLengths: [Int]? = nil) -> (output: Tensor, hiddenStates: [Tensor]) {
        precondition(embeddings.rank == 3 && embeddings.shape[2] == config.hiddenSize,
                     "attention backbone: embeddings \(embeddings.shape) must be [B, L, \(config.hiddenSize)]")
        // The tables are built once per call and shared by every layer (dynamic NTK depends on L).
        let (cos, sin) = rotary.tables(length: embeddings.shape[1])
        var h = embeddings
        var hiddenStates = [h]
        for (i, layer) in layers.enumerated() {
            h = layer(h, cos: cos, sin: sin, keyLengths: keyLengths)
            if i < layers.count - 1 { hiddenStates.append(h) }
        }
        let output = norm(h)
        hiddenStates.append(output)
        return (output, hiddenStates)
    }
}
