import SequoiaNN
import SequoiaTensor

/// Hyena's implicit long filter: an MLP of the positional features, with Sin activations,
/// gives one tap per position and channel, which the modulation then makes decay.
/// Also holds the per-channel skip weight `bias` of the long convolution.
public final class HyenaFilter: Module {
    /// Skip term: the long convolution adds v * bias (when the config's use_bias is set).
    public var bias: Tensor
    @CheckpointKey("pos_emb") public private(set) var posEmb: PositionalEmbedding
    /// Linear(emb_dim, F), Sin, [Linear(F, F), Sin] * num_inner_mlps, Linear(F, d, no bias);
    /// the Sin entries are one shared module, as in the reference's nn.Sequential.
    @CheckpointKey("implicit_filter") public private(set) var implicitFilter: [Module]
    public let modulation: ExponentialModulation

    /// Weights drawn as the reference's init does: Linear N(0, initializer_range) with zero bias, bias N(0, 1), freq = w.
    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        let (d, order) = (config.dModel, config.filterOrder)
        bias = Tensor.randn([d], rng: &rng, requiresGrad: true)
        let sin = HyenaSin(width: order, frequency: config.activationFreq, trainable: config.trainFreq)
        var layers: [Module] = [hyenaLinear(config.embDim, order, bias: true, std: config.initializerRange, rng: &rng), sin]
        for _ in 0..<config.numInnerMlps {
            layers += [hyenaLinear(order, order, bias: true, std: config.initializerRange, rng: &rng), sin]
        }
        layers.append(hyenaLinear(order, d, bias: false, std: config.initializerRange, rng: &rng))
        modulation = ExponentialModulation(channels: d)
        super.init()
        posEmb = PositionalEmbedding(embDim: config.embDim, maxLength: config.maxSeqLen)
        implicitFilter = layers
    }

    /// Checkpoint names (relative to this module) that alias the first Sin's `freq`.
    public var tiedFrequencyAliases: [String: String] {
        guard (implicitFilter[1] as? HyenaSin)?.freq != nil else { return [:] }
        var aliases: [String: String] = [:]
        for i in stride(from: 3, to: implicitFilter.count, by: 2) {
            aliases["implicit_filter.\(i).freq"] = "implicit_filter.1.freq"
        }
        return aliases
    }

    /// The filter k [length, d] for sequences of `length` (at most max_seq_len).
    public func filter(_ length: Int) -> Tensor {
        let (z, t) = posEmb(length)
        var h = z
        for layer in implicitFilter {
            if let linear = layer as? Linear {
                h = linear(h)
            } else if let sin = layer as? HyenaSin {
                h = sin(h)
            }
        }
        return modulation(t, h)
    }
}
