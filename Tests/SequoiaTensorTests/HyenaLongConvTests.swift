import SequoiaTensor
import XCTest

/// hyenaGatedLongConv against the equation written out with direct sums in float64:
/// z = v * x1, y[b, t, c] = x0 * (sum_{s<=t} k[t-s, c] z[b, s, c] + bias[c] z[b, t, c]).
final class HyenaLongConvTests: XCTestCase {
    /// u [B, L, 3d] as x0 | x1 | v, k [L, d], bias [d] (nil: no skip term) -> y [B, L, d].
    private func reference(_ u: [Double], _ k: [Double], _ bias: [Double]?, batch: Int, length: Int, d: Int) -> [Double] {
        var y = [Double](repeating: 0, count: batch * length * d)
        let z = { (b: Int, t: Int, c: Int) -> Double in
            let row = (b * length + t) * 3 * d
            return u[row + 2 * d + c] * u[row + d + c]
        }
        for b in 0..<batch {
            for t in 0..<length {
                for c in 0..<d {
                    var acc = (bias?[c] ?? 0) * z(b, t, c)
                    for s in 0...t { acc += k[(t - s) * d + c] * z(b, s, c) }
                    y[(b * length + t) * d + c] = u[(b * length + t) * 3 * d + c] * acc
                }
            }
        }
        return y
    }

    private func check(batch: Int, length: Int, d: Int, bias: Bool = true, line: UInt = #line) {
        let shapes = [[batch, length, 3 * d], [length, d]] + (bias ? [[d]] : [])
        checkOp("hyenaGatedLongConv B=\(batch) L=\(length) d=\(d) bias=\(bias)", shapes: shapes,
                op: { hyenaGatedLongConv($0[0], filter: $0[1], bias: bias ? $0[2] : nil) },
                reference: { x in
                    self.reference(x[0], x[1], bias ? x[2] : nil, batch: batch, length: length, d: d)
                },
                line: line)
    }

    func testLengthOne() { check(batch: 2, length: 1, d: 3) }
    func testLengthSeven() { check(batch: 1, length: 7, d: 8) }
    func testLength33() { check(batch: 2, length: 33, d: 3) }
    func testLength33EightChannels() { check(batch: 2, length: 33, d: 8) }
    /// 20 channels: a full block of 16 and a partial one.
    func testTwoChannelBlocks() { check(batch: 2, length: 7, d: 20) }
    func testWithoutBias() { check(batch: 2, length: 7, d: 3, bias: false) }

    /// At these sizes the finite-difference check is too slow, so the fused op is compared with
    /// the same computation from separate ops, values and gradients. L = 300 spans many time
    /// tiles; d = 260 spans two channel blocks.
    func testMatchesSeparateOpsLong() { checkAgainstSeparateOps(batch: 2, length: 300, d: 40) }
    func testMatchesSeparateOpsWide() { checkAgainstSeparateOps(batch: 2, length: 37, d: 260) }

    private func checkAgainstSeparateOps(batch: Int, length: Int, d: Int) {
        var rng = RandomGenerator(seed: 13)
        let u = Tensor.uniform([batch, length, 3 * d], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let k = Tensor.uniform([length, d], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let bias = Tensor.uniform([d], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let g = Tensor.uniform([batch, length, d], low: -1, high: 1, rng: &rng)

        let fused = hyenaGatedLongConv(u, filter: k, bias: bias)
        fused.backward(g)
        let grads = [u.grad!, k.grad!, bias.grad!].map { $0.scalars.map(Double.init) }
        u.grad = nil; k.grad = nil; bias.grad = nil

        let x0 = u.sliced(axis: 2, 0..<d), x1 = u.sliced(axis: 2, d..<(2 * d))
        let z = u.sliced(axis: 2, (2 * d)..<(3 * d)) * x1
        let long = fftConv(z.transposed(1, 2), k.transposed(0, 1)).transposed(1, 2)
        let separate = (long + z * bias) * x0
        separate.backward(g)

        assertClose(fused.scalars.map(Double.init), separate.scalars.map(Double.init), tolerance: 1e-5, "forward")
        for (name, (got, want)) in zip(["u", "k", "bias"], zip(grads, [u.grad!, k.grad!, bias.grad!])) {
            assertClose(got, want.scalars.map(Double.init), tolerance: 1e-5, "gradient of \(name)")
        }
    }

    /// Only the inputs that require a gradient get one, and those match the full computation.
    func testPartialGradients() {
        var rng = RandomGenerator(seed: 17)
        let u = Tensor.uniform([2, 9, 15], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let k = Tensor.uniform([9, 5], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let bias = Tensor.uniform([5], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let g = Tensor.uniform([2, 9, 5], low: -1, high: 1, rng: &rng)
        hyenaGatedLongConv(u, filter: k, bias: bias).backward(g)
        let full = [u.grad!, k.grad!, bias.grad!].map { $0.scalars.map(Double.init) }
        for i in 0..<3 {
            let inputs = [u, k, bias].enumerated().map { j, t in
                let c = t.detached()
                c.requiresGrad = i == j
                return c
            }
            hyenaGatedLongConv(inputs[0], filter: inputs[1], bias: inputs[2]).backward(g)
            for (j, t) in inputs.enumerated() {
                if i == j {
                    assertClose(t.grad!.scalars.map(Double.init), full[j], tolerance: 1e-6, "gradient \(j) alone")
                } else {
                    XCTAssertNil(t.grad, "input \(j) needs no gradient")
                }
            }
        }
    }

    /// The backward closure must not keep the output (and its graph) alive.
    func testOutputIsFreedWithoutBackward() {
        var rng = RandomGenerator(seed: 19)
        let u = Tensor.uniform([1, 4, 6], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let k = Tensor.uniform([4, 2], low: -1, high: 1, rng: &rng, requiresGrad: true)
        weak var weakOut: Tensor?
        do {
            let y = hyenaGatedLongConv(u, filter: k, bias: nil)
            weakOut = y
        }
        XCTAssertNil(weakOut)
    }
}
