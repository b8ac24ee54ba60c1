import Foundation
import SequoiaNN
import SequoiaTensor

/// The Mamba (S6) mixer of transformers' `MambaMixer`, with its checkpoint names:
/// in_proj -> (x | z); x -> causal conv -> SiLU -> x_proj -> (dt_in | B | C);
/// dt = softplus(dt_proj(dt_in)); y = scan(x, dt, -exp(A_log), B, C, D) * SiLU(z) -> out_proj.
public final class MambaMixer: Module {
    @CheckpointKey("in_proj") public private(set) var inProj: Linear
    public let conv1d: Conv1d
    @CheckpointKey("x_proj") public private(set) var xProj: Linear
    @CheckpointKey("dt_proj") public private(set) var dtProj: Linear
    @CheckpointKey("A_log") public private(set) var aLog: Tensor
    /// The skip weight D of y = ... + D x.
    @CheckpointKey("D") public private(set) var d: Tensor
    @CheckpointKey("out_proj") public private(set) var outProj: Linear

    /// Random init as mamba_ssm: A_log = log(1...N), D = 1, dt_proj.bias = softplus⁻¹(dt) with dt
    /// log-uniform in [1e-3, 1e-1]. `projections` makes this mixer use existing in/out
    /// projections (the same objects: BiMamba-S shares them between its two directions).
    public init(_ config: MambaMixerConfig, projections: (in: Linear, out: Linear)? = nil, rng: inout RandomGenerator) {
        let (d, e, n, r) = (config.hiddenSize, config.intermediateSize, config.stateSize, config.timeStepRank)
        if let projections {
            precondition(projections.in.inFeatures == d && projections.in.outFeatures == 2 * e
                         && projections.out.inFeatures == e && projections.out.outFeatures == d,
                         "MambaMixer: shared projections do not fit d=\(d), E=\(e)")
        }
        // Drawn in the reference's order; the renamed members are set once the module exists.
        let inProj = projections?.in ?? Linear(d, 2 * e, bias: config.useBias, rng: &rng)
        conv1d = Conv1d(channels: e, kernelSize: config.convKernel, bias: config.useConvBias, rng: &rng)
        let xProj = Linear(e, r + 2 * n, bias: false, rng: &rng)
        let dtProj = Linear(r, e, bias: true, rng: &rng)
        let bound = 1 / Float(r).squareRoot()
        dtProj.weight = Tensor.uniform([e, r], low: -bound, high: bound, rng: &rng, requiresGrad: true)
        dtProj.bias = Tensor(shape: [e], scalars: (0..<e).map { _ in
            let dt = max(1e-4, Foundation.exp(rng.nextFloat() * (Foundation.log(0.1) - Foundation.log(0.001)) + Foundation.log(0.001)))
            return dt + Foundation.log(-Foundation.expm1(-dt))
        }, requiresGrad: true)
        let outProj = projections?.out ?? Linear(e, d, bias: config.useBias, rng: &rng)
        super.init()
        self.inProj = inProj
        self.xProj = xProj
        self.dtProj = dtProj
        aLog = Tensor(shape: [e, n], scalars: (0..<e * n).map { Foundation.log(Float($0 % n + 1)) }, requiresGrad: true)
        self.d = Tensor.ones([e], requiresGrad: true)
        self.outProj = outProj
    }

    /// Intermediate width E.
    public var intermediateSize: Int { d.shape[0] }
    /// State size N.
    public var stateSize: Int { aLog.shape[1] }
    /// Time-step rank R.
    public var timeStepRank: Int { dtProj.inFeatures }

    /// u [B, L, d] -> [B, L, d].
    public func callAsFunction(_ u: Tensor) -> Tensor {
        outProj(gatedScan(inProj(u)))
    }

    /// The mixer between its projections: in_proj's output xz [B, L, 2E] -> y ⊙ SiLU(z) [B, L, E].
    public func gatedScan(_ xz: Tensor) -> Tensor {
        let e = intermediateSize
        let x = conv1d(xz.sliced(axis: 2, 0..<e)).silu()
        let s = selection(x)
        let y = selectiveScan(x, delta: s.delta, A: A, B: s.B, C: s.C, D: d)
        return y * xz.sliced(axis: 2, e..<(2 * e)).silu()
    }

    /// Recurrent mode: u [B, T, d] -> [B, T, d], continuing from `state` and advancing it past
    /// these T steps (T = 1 to generate, more to prefill a prompt). Not differentiable in the state.
    public func step(_ u: Tensor, state: inout MambaLayerState) -> Tensor {
        let e = intermediateSize, k = conv1d.kernelSize, t = u.shape[1]
        let xz = inProj(u)
        let x = xz.sliced(axis: 2, 0..<e)
        // The conv sees the K-1 inputs before these steps, so its last T outputs are theirs.
        let window = state.conv.map { Tensor.concatenate([$0, x], axis: 1) } ?? x
        if state.conv != nil { state.conv = window.sliced(axis: 1, t..<(t + k - 1)) }
        let xc = conv1d(window).sliced(axis: 1, (k - 1)..<(k - 1 + t)).silu()
        let s = selection(xc)
        let scan = selectiveScan(xc, delta: s.delta, A: A, B: s.B, C: s.C, D: d, state: state.ssm)
        state.ssm = scan.state
        return outProj(scan.y * xz.sliced(axis: 2, e..<(2 * e)).silu())
    }

    /// A = -exp(A_log), [E, N].
    private var A: Tensor { aLog.exp() * -1 }

    /// x [B, L, E] -> dt = softplus(dt_proj(dt_in)) [B, L, E], B and C [B, L, N], split from x_proj(x) in that order.
    private func selection(_ x: Tensor) -> (delta: Tensor, B: Tensor, C: Tensor) {
        let (r, n) = (timeStepRank, stateSize)
        let dbc = xProj(x)
        let delta = dtProj(dbc.sliced(axis: 2, 0..<r)).softplus()
        return (delta, dbc.sliced(axis: 2, r..<(r + n)), dbc.sliced(axis: 2, (r + n)..<(r + 2 * n)))
    }
}

/// One layer's recurrent state: the last K-1 conv inputs and the SSM state.
public struct MambaLayerState {
    /// [B, K-1, E], the previous inputs of the causal conv (nil when K = 1).
    public var conv: Tensor?
    /// [B, E, N].
    public var ssm: Tensor

    /// The state before the first token: zeros, like the conv's left padding and the scan's s₋₁.
    public init(batch: Int, mixer: MambaMixer) {
        let (e, k) = (mixer.intermediateSize, mixer.conv1d.kernelSize)
        conv = k > 1 ? Tensor.zeros([batch, k - 1, e]) : nil
        ssm = Tensor.zeros([batch, e, mixer.stateSize])
    }
}
