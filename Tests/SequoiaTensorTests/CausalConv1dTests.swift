import SequoiaTensor
import XCTest

/// out[b, t, c] = bias[c] + sum_k w[c, k] x[b, t - (K-1) + k, c], zeros before t = 0.
private func directCausalConv1d(_ x: [Double], _ w: [Double], _ bias: [Double]?,
                                batch: Int, length: Int, channels: Int, taps: Int) -> [Double] {
    var out = [Double](repeating: 0, count: batch * length * channels)
    for b in 0..<batch {
        for t in 0..<length {
            for c in 0..<channels {
                var sum = bias?[c] ?? 0
                for k in 0..<taps {
                    let s = t - (taps - 1) + k
                    if s >= 0 { sum += w[c * taps + k] * x[(b * length + s) * channels + c] }
                }
                out[(b * length + t) * channels + c] = sum
            }
        }
    }
    return out
}

final class CausalConv1dTests: XCTestCase {
    private func check(batch: Int, length: Int, channels: Int, taps: Int, bias: Bool, line: UInt = #line) {
        var shapes = [[batch, length, channels], [channels, taps]]
        if bias { shapes.append([channels]) }
        checkOp("conv1d B=\(batch) L=\(length) C=\(channels) K=\(taps) bias=\(bias)", shapes: shapes,
                op: { causalDepthwiseConv1d($0[0], weight: $0[1], bias: bias ? $0[2] : nil) },
                reference: { v in
                    directCausalConv1d(v[0], v[1], bias ? v[2] : nil, batch: batch, length: length,
                                       channels: channels, taps: taps)
                }, line: line)
    }

    func testFourTaps() { check(batch: 2, length: 7, channels: 5, taps: 4, bias: true) }
    func testThreeTaps() { check(batch: 2, length: 7, channels: 5, taps: 3, bias: true) }
    func testNoBias() { check(batch: 2, length: 7, channels: 5, taps: 4, bias: false) }
    /// More taps than time steps, and a channel count that fills SIMD lanes plus a remainder.
    func testKernelLongerThanSequence() { check(batch: 1, length: 3, channels: 11, taps: 5, bias: true) }
    func testSingleTapSingleChannel() { check(batch: 3, length: 4, channels: 1, taps: 1, bias: true) }

    /// Enough rows to split across threads, so the per-thread weight partials are reduced.
    func testManyRowsMatchesDirectSums() {
        let batch = 4, length = 2000, channels = 19, taps = 4
        var rng = RandomGenerator(seed: 9)
        let x = Tensor.uniform([batch, length, channels], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let w = Tensor.uniform([channels, taps], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let bias = Tensor.uniform([channels], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let g = Tensor.uniform(x.shape, low: -1, high: 1, rng: &rng)
        let x64 = x.scalars.map(Double.init), w64 = w.scalars.map(Double.init), g64 = g.scalars.map(Double.init)
        let y = causalDepthwiseConv1d(x, weight: w, bias: bias)
        let yRef = directCausalConv1d(x64, w64, bias.scalars.map(Double.init), batch: batch, length: length,
                                      channels: channels, taps: taps)
        assertClose(y.scalars.map(Double.init), yRef, tolerance: 1e-5, "conv1d forward")
        y.backward(g)
        var dw = [Double](repeating: 0, count: w.count), db = [Double](repeating: 0, count: channels)
        for b in 0..<batch {
            for t in 0..<length {
                for c in 0..<channels {
                    let gv = g64[(b * length + t) * channels + c]
                    db[c] += gv
                    for k in 0..<taps where t - (taps - 1) + k >= 0 {
                        dw[c * taps + k] += gv * x64[(b * length + t - (taps - 1) + k) * channels + c]
                    }
                }
            }
        }
        assertClose(w.grad!.scalars.map(Double.init), dw, tolerance: 1e-5, "conv1d dweight")
        assertClose(bias.grad!.scalars.map(Double.init), db, tolerance: 1e-5, "conv1d dbias")
    }
}
