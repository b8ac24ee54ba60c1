import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

/// Layers against plain-loop references. These call the tensor ops (linear, conv, norms, ...).
final class LayerForwardTests: XCTestCase {
    private func assertClose(_ a: [Float], _ b: [Double], _ tol: Double = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(Double(x), y, accuracy: tol * max(1, abs(y)), file: file, line: line) }
    }

    func testLinear() {
        var rng = RandomGenerator(seed: 1)
        let layer = Linear(3, 4, rng: &rng)
        let x = Tensor.randn([2, 5, 3], rng: &rng)
        let w = layer.weight.scalars, b = layer.bias!.scalars, xs = x.scalars
        let expected = (0..<(10 * 4)).map { (i: Int) -> Double in
            let row = i / 4, o = i % 4
            return Double(b[o]) + (0..<3).reduce(0.0) { $0 + Double(w[o * 3 + $1]) * Double(xs[row * 3 + $1]) }
        }
        let y = layer(x)
        XCTAssertEqual(y.shape, [2, 5, 4])
        assertClose(y.scalars, expected)
    }

    func testCausalConv1dUsesPyTorchWeightLayoutAndTrainsIt() {
        var rng = RandomGenerator(seed: 2)
        let (b, l, c, k) = (2, 6, 3, 4)
        let conv = Conv1d(channels: c, kernelSize: k, rng: &rng)
        let x = Tensor.randn([b, l, c], rng: &rng)
        let w = conv.weight.scalars, bias = conv.bias!.scalars, xs = x.scalars
        let expected = (0..<(b * l * c)).map { (i: Int) -> Double in
            let bi = i / (l * c), t = (i / c) % l, ch = i % c
            var s = Double(bias[ch])
            for j in 0..<k {
                let src = t - (k - 1) + j
                if src >= 0 { s += Double(w[ch * k + j]) * Double(xs[(bi * l + src) * c + ch]) }
            }
            return s
        }
        let y = conv(x)
        XCTAssertEqual(y.shape, [b, l, c])
        assertClose(y.scalars, expected)
        y.backward(Tensor.ones(y.shape))
        XCTAssertEqual(conv.weight.grad?.shape, [c, 1, k])
        XCTAssertEqual(conv.bias?.grad?.shape, [c])
    }

    func testEmbedding() {
        var rng = RandomGenerator(seed: 3)
        let emb = Embedding(5, 3, rng: &rng)
        let y = emb(IndexTensor(shape: [2, 2], scalars: [4, 0, 0, 2]))
        XCTAssertEqual(y.shape, [2, 2, 3])
        let w = emb.weight.scalars
        XCTAssertEqual(y.scalars, Array(w[12..<15] + w[0..<3] + w[0..<3] + w[6..<9]))
    }

    func testNorms() {
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.randn([3, 5], rng: &rng)
        let xs = x.scalars.map(Double.init)
        let rms = RMSNorm(5, eps: 1e-5)
        rms.weight.copyFrom(Tensor.uniform([5], low: 0.5, high: 1.5, rng: &rng))
        let ln = LayerNorm(5, eps: 1e-5)
        ln.weight!.copyFrom(Tensor.uniform([5], low: 0.5, high: 1.5, rng: &rng))
        ln.bias!.copyFrom(Tensor.uniform([5], low: -1, high: 1, rng: &rng))
        var rmsExpected: [Double] = [], lnExpected: [Double] = []
        for r in 0..<3 {
            let row = Array(xs[(r * 5)..<(r * 5 + 5)])
            let ms = row.reduce(0) { $0 + $1 * $1 } / 5
            let mean = row.reduce(0, +) / 5
            let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 5
            for j in 0..<5 {
                rmsExpected.append(Double(rms.weight.scalars[j]) * row[j] / (ms + 1e-5).squareRoot())
                lnExpected.append(Double(ln.weight!.scalars[j]) * (row[j] - mean) / (variance + 1e-5).squareRoot()
                    + Double(ln.bias!.scalars[j]))
            }
        }
        assertClose(rms(x).scalars, rmsExpected, 1e-4)
        assertClose(ln(x).scalars, lnExpected, 1e-4)
    }

    func testConv2d() {
        var rng = RandomGenerator(seed: 5)
        let conv = Conv2d(2, 3, kernelSize: 3, stride: 2, padding: 1, rng: &rng)
        let x = Tensor.randn([1, 2, 5, 5], rng: &rng)
        let y = conv(x)
        XCTAssertEqual(y.shape, [1, 3, 3, 3])
        let w = conv.weight.scalars, b = conv.bias!.scalars, xs = x.scalars
        let expected = (0..<27).map { (i: Int) -> Double in
            let o = i / 9, oy = (i / 3) % 3, ox = i % 3
            var s = Double(b[o])
            for ci in 0..<2 {
                for ky in 0..<3 {
                    for kx in 0..<3 {
                        let iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx
                        guard iy >= 0, iy < 5, ix >= 0, ix < 5 else { continue }
                        s += Double(w[((o * 2 + ci) * 3 + ky) * 3 + kx]) * Double(xs[(ci * 5 + iy) * 5 + ix])
                    }
                }
            }
            return s
        }
        assertClose(y.scalars, expected)
    }

    func testDropoutTrainingMasksAndScales() {
        let drop = Dropout(p: 0.25, rng: RandomGenerator(seed: 6))
        let x = Tensor.ones([4000])
        let y = drop(x).scalars
        let kept = y.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
        XCTAssertEqual(Double(kept.count) / 4000, 0.75, accuracy: 0.03)
        // Same seed, same mask.
        XCTAssertEqual(Dropout(p: 0.25, rng: RandomGenerator(seed: 6))(x).scalars, y)
        drop.eval()
        XCTAssertEqual(drop(x).scalars, x.scalars)
    }
}
