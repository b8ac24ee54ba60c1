import SequoiaNN
import SequoiaTensor

/// The order-2 Hyena mixer: project to three streams, mix each over 3 steps with a short
/// causal depthwise conv, then gate, long-convolve with the implicit filter, and gate again.
public final class HyenaOperator: Module {
    @CheckpointKey("in_proj") public private(set) var inProj: Linear
    @CheckpointKey("out_proj") public private(set) var outProj: Linear
    @CheckpointKey("short_filter") public private(set) var shortFilter: Conv1d
    @CheckpointKey("filter_fn") public private(set) var filterFn: HyenaFilter
    public let dropout: Dropout
    /// Whether the long convolution adds its skip term v * filter_fn.bias.
    public let useBias: Bool

    public init(config: HyenaConfig, outputStd: Float, rng: inout RandomGenerator) {
        let d = config.dModel, width = 3 * d
        let std = config.initializerRange
        let inProj = hyenaLinear(d, width, bias: true, std: std, rng: &rng)
        let outProj = hyenaLinear(d, d, bias: true, std: outputStd, rng: &rng)
        let shortFilter = Conv1d(channels: width, kernelSize: config.shortFilterOrder, rng: &rng)
        let filterFn = HyenaFilter(config: config, rng: &rng)
        dropout = Dropout(p: config.hyenaDropout, rng: RandomGenerator(seed: rng.next()))
        useBias = config.useBias
        super.init()
        self.inProj = inProj
        self.outProj = outProj
        self.shortFilter = shortFilter
        self.filterFn = filterFn
    }

    /// x [B, L, d] -> [B, L, d], causal; L may not exceed max_seq_len.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3, "HyenaOperator needs [B, L, d], got \(x.shape)")
        let length = x.shape[1], d = x.shape[2]
        precondition(length <= filterFn.posEmb.maxLength,
                     "sequence of \(length) is longer than the filter (max_seq_len \(filterFn.posEmb.maxLength))")
        // The reference's Conv1d(padding 2) keeping the first L outputs is this causal conv
        // (its last tap multiplies x[t]).
        let u = shortFilter(inProj(x))
        let k = filterFn.filter(length)
        // Dropout on v * x1 is the identity at p = 0 and in eval mode: then the gates, skip term and
        // long conv run fused, channels last. Otherwise the masked stream needs the separate ops.
        if dropout.p == 0 || !dropout.isTraining {
            return outProj(hyenaGatedLongConv(u, filter: k, bias: useBias ? filterFn.bias : nil))
        }
        let x0 = u.sliced(axis: 2, 0..<d)
        let x1 = u.sliced(axis: 2, d..<(2 * d))
        var v = dropout(u.sliced(axis: 2, (2 * d)..<(3 * d)) * x1)
        let long = fftConv(v.transposed(1, 2), k.transposed(0, 1)).transposed(1, 2)
        v = useBias ? long + v * filterFn.bias : long
        return outProj(v * x0)
    }
}
