import SequoiaTensor
import XCTest

final class DropoutTests: XCTestCase {
    func testGradientIsMaskOverKeepProbability() {
        var rng = RandomGenerator(seed: 5)
        // Inputs away from 0, so out != 0 exactly where the mask kept the element; an odd count
        // covers the last element drawn alone.
        let x = Tensor.uniform([3, 67], low: 0.5, high: 1.5, rng: &rng, requiresGrad: true)
        let p: Float = 0.3
        let y = dropout(x, p: p, rng: &rng)
        let upstream = Tensor.uniform([3, 67], low: -1, high: 1, rng: &rng)
        y.backward(upstream)
        let ys = y.scalars, xs = x.scalars, g = x.grad!.scalars, u = upstream.scalars
        for i in 0..<x.count {
            let kept = ys[i] != 0
            XCTAssertEqual(ys[i], kept ? xs[i] / (1 - p) : 0, accuracy: 1e-6)
            XCTAssertEqual(g[i], kept ? u[i] / (1 - p) : 0, accuracy: 1e-6)
        }
    }

    func testKeptFractionNearOneMinusP() {
        var rng = RandomGenerator(seed: 9)
        let n = 100_000, p: Float = 0.25
        let y = dropout(Tensor.ones([n]), p: p, rng: &rng)
        let kept = Double(y.scalars.filter { $0 != 0 }.count) / Double(n)
        // Binomial standard deviation is ~0.0014; allow about five of them.
        XCTAssertEqual(kept, 0.75, accuracy: 0.007)
    }

    func testSameSeedSameMask() {
        let x = Tensor.ones([1000])
        var r1 = RandomGenerator(seed: 42), r2 = RandomGenerator(seed: 42)
        XCTAssertEqual(dropout(x, p: 0.5, rng: &r1).scalars, dropout(x, p: 0.5, rng: &r2).scalars)
        XCTAssertEqual(r1, r2, "generators advance identically")
        // The generator moved on: the next mask differs.
        var fresh = RandomGenerator(seed: 42)
        XCTAssertNotEqual(dropout(x, p: 0.5, rng: &r1).scalars, dropout(x, p: 0.5, rng: &fresh).scalars)
    }

    func testZeroProbabilityIsIdentity() {
        var rng = RandomGenerator(seed: 1)
        let x = Tensor(shape: [3], scalars: [1, -2, 3], requiresGrad: true)
        let before = rng
        let y = dropout(x, p: 0, rng: &rng)
        XCTAssertTrue(y === x)
        XCTAssertEqual(rng, before, "p = 0 draws nothing")
    }
}
