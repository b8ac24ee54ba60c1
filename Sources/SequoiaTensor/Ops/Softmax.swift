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
            axisExpShifted(pointer, v, shift: m, scale: s, into: out.pointer)
        }
        return out.recordingGrad([self]) { g in
            // dx = y * (g - sum(g * y)).
            let gx = Tensor(uninitialized: out.shape)
            let py = out.pointer, pg = g.pointer, px = gx.pointer
            withScratch(v.lanes) { pd in
                axisSum(pg, py, v, scale: 1, into: pd)
                forEachRun(v) { e, count, lane, scalar in
                    forEachVector(count) { j, w in
                        let y = vload(py + e + j, w), gv = vload(pg + e + j, w)
                        vstore(y * (gv - vlane(pd + lane, j, w, scalar)), px + e + j, w)
                    }
                }
            }
            return [gx]
        }
    }

    /// x - log(sum(e^x)) along `axis`.
    public func logSoftmax(axis: Int = -1) -> Tensor {
        let v = AxisView(shape, axis: normalizeAxis(axis, rank: rank))
        let out = Tensor(uninitialized: shape)
        let px = pointer, po = out.pointer
        withScratch(2 * v.lanes) { m in
            let s = m + v.lanes
            axisMaxSumExp(px, v, max: m, sumExp: s)
            for l in 0..<v.lanes { s[l] = Foundation.log(s[l]) }
            // (x - m) - log s: subtracting the maximum first keeps the result exact near it.
            forEachRun(v) { e, count, lane, scalar in
                forEachVector(count) { j, w in
                    let x = vload(px + e + j, w)
                    vstore((x - vlane(m + lane, j, w, scalar)) - vlane(s + lane, j, w, scalar), po + e + j, w)
                }
            }
        }
        return out.recordingGrad([self]) { g in
            // dx = g - softmax * sum(g), with softmax = e^y.
            let gx = Tensor(uninitialized: out.shape)
            let py = out.pointer, pg = g.pointer, pgx = gx.pointer
            withScratch(v.lanes) { ps in
                axisSum(pg, nil, v, scale: 1, into: ps)
                forEachRun(v) { e, count, lane, scalar in
                    forEachVector(count) { j, w in
                        let y = vload(py + e + j, w), gv = vload(pg + e + j, w)
                        vstore(gv - vexp(y) * vlane(ps + lane, j, w, scalar), pgx + e + j, w)
                    }
                }
            }
            return [gx]
        }
    }
}
