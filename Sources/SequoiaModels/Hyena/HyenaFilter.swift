import SequoiaNN
import SequoiaTensor

/// Hyena's implicit long filter: an MLP of the positional features, with Sin activations,
/// gives one tap per position and channel, which the modulation then makes decay.
/// Also holds the per-channel skip weight `bias` of the long convolution.
public final class HyenaFilter: Module {
    /// Skip term: the long convolution adds v * bias (when the config's use_bias is set).
    public var bias: Tensor
    public let posEmb: PositionalEmbedding
    /// Linear(emb_dim, F), Sin, [Linear(F, F), Sin] * num_inner_mlps, Linear(F, d, no bias);
    /// the Sin entries are one shared module, as in the reference's nn.Sequential.
    public let implicitFilter: [Module]
    public let modulation: ExponentialModulation

    override public class var checkpointKeys: [String: String] {
        ["posEmb": "pos_emb", "implicitFilter": "implicit_filter"]
    }

    /// Weights drawn as the reference's init does: Linear N(0, initializer_range) with zero bias, bias N(0, 1), freq = w.
    public init(config: HyenaConfig, rng: inout RandomGenerator) {
        let (d, order) = (config.d_model, config.filter_order)
        bias = Tensor.randn([d], rng: &rng, requiresGrad: true)
        posEmb = PositionalEmbedding(embDim: config.emb_dim, maxLength: config.max_seq_len)
        let sin = HyenaSin(width: order, frequency: config.activation_freq, trainable: config.train_freq)
        var layers: [Module] = [hyenaLinear(config.emb_dim, order, bias: true, std: config.initializer_range, rng: &rng), sin]
        for _ in 0..<config.num_inner_mlps {
            layers += [hyenaLinear(order, order, bias: true, std: config.initializer_range, rng: &rng), sin]
        }
        layers.append(hyenaLinear(order, d, bias: false, std: config.initializer_range, rng: &rng))
        implicitFilter = layers
        modulation = ExponentialModulation(channels: d)
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
