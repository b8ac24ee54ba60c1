import Foundation

/// Softmax and log-softmax along one axis: stable (shifted by the maximum) and fused, so the
/// forward is two passes over x and the backward one reduction plus one elementwise pass.
extension Tensor {
    /// e^x / sum(e^x) along `axis`.
    public func softmax(axis: Int = -1) -> Tensor {
        let v = AxisView(shape, axis: normalizeAxis(axis, rank: rank))
        let out = Tensor(uninitialized: shape)
        withScratch(2 * v.lanes) { m in
            let s = m + v.lanes
            axisMaxSumExp(pointer, v, max: m, sumExp: s)
            for l in 0..<v.lanes { s[l] = 1 / s[l] }
            forEachRun(v, ExpShiftedKernel(x: pointer, shift: m, scale: s, out: out.pointer))
        }
        // The closure holds the output's storage, not the output (which owns the closure).
        let y = out.storage
        return out.recordingGrad([self]) { g in
            let gx = Tensor(uninitialized: g.shape)
            withScratch(v.lanes) { dots in
                axisSum(g.pointer, y.pointer, v, scale: 1, into: dots)
                forEachRun(v, SoftmaxBackward(y: y.pointer, g: g.pointer, dots: dots, out: gx.pointer))
            }
            return [gx]
        }
    }

    /// x - log(sum(e^x)) along `axis`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let v = AxisView(shape, axis: normalizeAxis(axis, rank: rank))
        let out = Tensor(uninitialized: shape)
        withScratch(2 * v.lanes) { m in
            let s = m + v.lanes
            axisMaxSumExp(pointer, v, max: m, sumExp: s)
            for l in 0..<v.lanes { s[l] = Foundation.log(s[l]) }
            forEachRun(v, LogSoftmaxForward(x: pointer, max: m, logSum: s, out: out.pointer))
        }
        let y = out.storage
        return out.recordingGrad([self]) { g in
            let gx = Tensor(uninitialized: g.shape)
            withScratch(v.lanes) { sums in
                axisSum(g.pointer, nil, v, scale: 1, into: sums)
                forEachRun(v, LogSoftmaxBackward(y: y.pointer, g: g.pointer, sums: sums, out: gx.pointer))
            }
            return [gx]
        }
    }
}

/// dx = y * (g - sum(g * y)), with the sums per lane in `dots`.
private struct SoftmaxBackward: AlongAxisKernel {
    let y: UnsafePointer<Float>, g: UnsafePointer<Float>, dots: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>

    func run<L: LaneAccess>(_: L.Type, _ e: Int, _ count: Int, _ lane: Int) {
        let py = y + e, pg = g + e, po = out + e, pd = dots + lane
        for j in stride(from: 0, to: count, by: 8) {
            let w = Swift.min(8, count - j)
            VectorMath.store(VectorMath.load(py + j, w) * (VectorMath.load(pg + j, w) - L.load(pd, j, w)), po + j, w)
        }
    }
}

/// y = (x - max) - log(sum): subtracting the maximum first keeps the result exact near it.
private struct LogSoftmaxForward: AlongAxisKernel {
    let x: UnsafePointer<Float>, max: UnsafePointer<Float>, logSum: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>

    func run<L: LaneAccess>(_: L.Type, _ e: Int, _ count: Int, _ lane: Int) {
        let px = x + e, po = out + e, pm = max + lane, ps = logSum + lane
        for j in stride(from: 0, to: count, by: 8) {
            let w = Swift.min(8, count - j)
            VectorMath.store((VectorMath.load(px + j, w) - L.load(pm, j, w)) - L.load(ps, j, w), po + j, w)
        }
    }
}

/// dx = g - softmax * sum(g), with softmax = e^y and the sums per lane in `sums`.
private struct LogSoftmaxBackward: AlongAxisKernel {
    let y: UnsafePointer<Float>, g: UnsafePointer<Float>, sums: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>

    func run<L: LaneAccess>(_: L.Type, _ e: Int, _ count: Int, _ lane: Int) {
        let py = y + e, pg = g + e, po = out + e, ps = sums + lane
        for j in stride(from: 0, to: count, by: 8) {
            let w = Swift.min(8, count - j)
            VectorMath.store(VectorMath.load(pg + j, w) - VectorMath.exp(VectorMath.load(py + j, w)) * L.load(ps, j, w), po + j, w)
        }
    }
}
