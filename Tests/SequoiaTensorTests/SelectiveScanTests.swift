import Foundation
import SequoiaTensor
import XCTest

/// float64 selective scan written from the recurrence, one channel at a time.
private func referenceScan(u: [Double], delta: [Double], A: [Double], B: [Double], C: [Double], D: [Double]?,
                           batch: Int, length: Int, channels: Int, state n: Int) -> [Double] {
    var y = [Double](repeating: 0, count: batch * length * channels)
    for b in 0..<batch {
        for d in 0..<channels {
            var s = [Double](repeating: 0, count: n)
            for t in 0..<length {
                let i = (b * length + t) * channels + d
                var acc = (D?[d] ?? 0) * u[i]
                for k in 0..<n {
                    let bc = (b * length + t) * n + k
                    s[k] = Foundation.exp(delta[i] * A[d * n + k]) * s[k] + delta[i] * u[i] * B[bc]
                    acc += s[k] * C[bc]
                }
                y[i] = acc
            }
        }
    }
    return y
}

final class SelectiveScanTests: XCTestCase {
    /// Channels not a multiple of the vector width, several chunks, D present and absent.
    func testForwardAndGradientsMatchTheRecurrence() {
        for (channels, withD, chunk) in [(11, true, 4), (8, false, 64), (3, true, 1)] {
            let (batch, length, n) = (2, 9, 5)
            checkOp("scan E=\(channels) D=\(withD) chunk=\(chunk)",
                    shapes: [[batch, length, channels], [batch, length, channels], [channels, n],
                             [batch, length, n], [batch, length, n]] + (withD ? [[channels]] : []),
                    ranges: [-1...1, 0.01...0.5, -2 ... -0.1, -1...1, -1...1, -1...1],
                    gradientTolerance: 2e-4,
                    op: { x in
                        selectiveScan(x[0], delta: x[1], A: x[2], B: x[3], C: x[4], D: withD ? x[5] : nil,
                                      checkpointEvery: chunk)
                    },
                    reference: { x in
                        referenceScan(u: x[0], delta: x[1], A: x[2], B: x[3], C: x[4], D: withD ? x[5] : nil,
                                      batch: batch, length: length, channels: channels, state: n)
                    })
        }
    }

    /// Running the sequence one step at a time with the carried state gives the full scan.
    func testStepModeMatchesFullScan() {
        var rng = RandomGenerator(seed: 3)
        let (batch, length, channels, n) = (2, 13, 10, 16)
        let u = Tensor.randn([batch, length, channels], rng: &rng)
        let delta = Tensor.uniform([batch, length, channels], low: 0.01, high: 0.3, rng: &rng)
        let A = Tensor.uniform([channels, n], low: -3, high: -0.2, rng: &rng)
        let B = Tensor.randn([batch, length, n], rng: &rng), C = Tensor.randn([batch, length, n], rng: &rng)
        let D = Tensor.randn([channels], rng: &rng)
        let full = selectiveScan(u, delta: delta, A: A, B: B, C: C, D: D)
        var state: Tensor? = nil
        var steps: [Tensor] = []
        for t in 0..<length {
            let r = selectiveScan(u.sliced(axis: 1, t..<t + 1), delta: delta.sliced(axis: 1, t..<t + 1), A: A,
                                  B: B.sliced(axis: 1, t..<t + 1), C: C.sliced(axis: 1, t..<t + 1), D: D, state: state)
            state = r.state
            steps.append(r.y)
        }
        let stepped = Tensor.concatenate(steps, axis: 1)
        assertClose(stepped.scalars.map(Double.init), full.scalars.map(Double.init), tolerance: 1e-6, "step mode")
    }
}
