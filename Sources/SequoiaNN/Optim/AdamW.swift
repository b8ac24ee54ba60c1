import Foundation
import SequoiaTensor

/// Adam with decoupled weight decay, step for step as torch.optim.AdamW (amsgrad off):
/// p *= 1 - lr*wd, then the bias-corrected Adam update.
public final class AdamW: Optimizer {
    public var learningRate: Float
    /// Moment decay rates and the denominator's epsilon (PyTorch defaults 0.9, 0.999, 1e-8).
    public var beta1: Double
    public var beta2: Double
    public var eps: Double
    public let groups: [ParameterGroup]
    private var expAvg: [Tensor?]
    private var expAvgSq: [Tensor?]
    /// Per parameter, like PyTorch: a parameter without a gradient does not advance.
    private var steps: [Int]

    public init(groups: [ParameterGroup], learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8) {
        self.groups = groups
        self.learningRate = learningRate
        beta1 = betas.0
        beta2 = betas.1
        self.eps = eps
        let n = groups.reduce(0) { $0 + $1.parameters.count }
        expAvg = Array(repeating: nil, count: n)
        expAvgSq = Array(repeating: nil, count: n)
        steps = Array(repeating: 0, count: n)
    }

    /// One group with PyTorch's default decay of 0.01.
    public convenience init(parameters: [Tensor], learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Float = 1e-2) {
        self.init(groups: [ParameterGroup(parameters: parameters, weightDecay: weightDecay)],
                  learningRate: learningRate, betas: betas, eps: eps)
    }

    /// Steps taken by the first parameter (all of them, when every parameter gets gradients).
    public var stepCount: Int { steps.first ?? 0 }

    public func step() {
        GradMode.withoutGrad {
            var index = 0
            for group in groups {
                let lr = Double(learningRate) * Double(group.learningRateScale)
                for p in group.parameters {
                    defer { index += 1 }
                    guard let g = p.grad else { continue }
                    precondition(g.shape == p.shape, "gradient \(g.shape) for parameter \(p.shape)")
                    steps[index] += 1
                    let m = expAvg[index] ?? Tensor.zeros(p.shape)
                    let v = expAvgSq[index] ?? Tensor.zeros(p.shape)
                    expAvg[index] = m
                    expAvgSq[index] = v
                    let t = Double(steps[index])
                    let bc1 = 1 - Foundation.pow(beta1, t)
                    let bc2 = 1 - Foundation.pow(beta2, t)
                    adamWKernel(p.pointer, g.pointer, m.pointer, v.pointer, count: p.count,
                                decay: Float(1 - lr * Double(group.weightDecay)),
                                beta1: Float(beta1), beta2: Float(beta2),
                                stepSize: Float(lr / bc1), bc2Sqrt: Float(bc2.squareRoot()), eps: Float(eps))
                }
            }
        }
    }

    public func state() -> OptimizerState {
        var state = OptimizerState()
        for i in 0..<steps.count {
            state.scalars["\(i).step"] = Double(steps[i])
            if let m = expAvg[i] { state.tensors["\(i).exp_avg"] = m.detached() }
            if let v = expAvgSq[i] { state.tensors["\(i).exp_avg_sq"] = v.detached() }
        }
        return state
    }

    public func load(state: OptimizerState) throws {
        let params = parameters
        try state.validateKeys(count: params.count, names: ["exp_avg", "exp_avg_sq"])
        var newSteps = steps, newM = expAvg, newV = expAvgSq
        for (i, p) in params.enumerated() {
            let s = state.scalars["\(i).step"] ?? 0
            guard s >= 0, s == s.rounded(), s < 1e15 else { throw OptimizerStateError.invalidScalar(key: "\(i).step", value: s) }
            newSteps[i] = Int(s)
            newM[i] = try state.tensor("\(i).exp_avg", like: p)
            newV[i] = try state.tensor("\(i).exp_avg_sq", like: p)
        }
        steps = newSteps
        expAvg = newM
        expAvgSq = newV
    }
}

/// The fused AdamW update in place, in PyTorch's operation order (lerp for the first moment,
/// addcmul for the second, addcdiv for the parameter) so results track torch closely.
private func adamWKernel(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
                         _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>, count: Int,
                         decay: Float, beta1: Float, beta2: Float, stepSize: Float, bc2Sqrt: Float, eps: Float) {
    let w1 = 1 - beta1, w2 = 1 - beta2
    Parallel.forChunks(count, grain: 1 << 15) { r in
        var i = r.lowerBound
        let pr = UnsafeMutableRawPointer(p), gr = UnsafeMutableRawPointer(g)
        let mr = UnsafeMutableRawPointer(m), vr = UnsafeMutableRawPointer(v)
        typealias V8 = SIMD8<Float>
        while i + 8 <= r.upperBound {
            let o = i * 4
            let gi = gr.loadUnaligned(fromByteOffset: o, as: V8.self)
            var mi = mr.loadUnaligned(fromByteOffset: o, as: V8.self)
            var vi = vr.loadUnaligned(fromByteOffset: o, as: V8.self)
            var pi = pr.loadUnaligned(fromByteOffset: o, as: V8.self) * decay
            mi = mi + w1 * (gi - mi)
            vi = vi * beta2 + w2 * (gi * gi)
            let denom = vi.squareRoot() / bc2Sqrt + eps
            pi = pi + (-stepSize) * (mi / denom)
            mr.storeBytes(of: mi, toByteOffset: o, as: V8.self)
            vr.storeBytes(of: vi, toByteOffset: o, as: V8.self)
            pr.storeBytes(of: pi, toByteOffset: o, as: V8.self)
            i += 8
        }
        while i < r.upperBound {
            let gi = g[i]
            let mi = m[i] + w1 * (gi - m[i])
            let vi = v[i] * beta2 + w2 * (gi * gi)
            let denom = vi.squareRoot() / bc2Sqrt + eps
            p[i] = p[i] * decay + (-stepSize) * (mi / denom)
            m[i] = mi
            v[i] = vi
            i += 1
        }
    }
}
