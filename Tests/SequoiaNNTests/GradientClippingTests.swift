import SequoiaNN
import SequoiaTensor
import XCTest

final class GradientClippingTests: XCTestCase {
    private func params(_ grads: [[Float]]) -> [Tensor] {
        grads.map { g in
            let p = Tensor.zeros([g.count], requiresGrad: true)
            p.grad = Tensor(shape: [g.count], scalars: g)
            return p
        }
    }

    func testClipsToMaxNorm() {
        let ps = params([[3, 4], [12]]) + [Tensor.zeros([2], requiresGrad: true)]  // one without a gradient
        let norm = clipGradNorm(ps, maxNorm: 6.5)
        XCTAssertEqual(norm, 13, accuracy: 1e-12)
        let scale = Float(6.5 / (13 + 1e-6))
        XCTAssertEqual(ps[0].grad!.scalars, [3 * scale, 4 * scale])
        XCTAssertEqual(ps[1].grad!.scalars, [12 * scale])
        let after = ps.compactMap(\.grad).flatMap(\.scalars).reduce(0.0) { $0 + Double($1) * Double($1) }
        XCTAssertEqual(after.squareRoot(), 6.5, accuracy: 1e-5)
    }

    func testLeavesSmallGradientsAlone() {
        let ps = params([[0.3, 0.4]])
        XCTAssertEqual(clipGradNorm(ps, maxNorm: 1), 0.5, accuracy: 1e-7)
        XCTAssertEqual(ps[0].grad!.scalars, [0.3, 0.4])
    }

    func testLargeTensorNormIsAccurate() {
        // Enough elements to split across threads; float32 summation would drift visibly.
        let n = 300_001
        let ps = params([[Float](repeating: 0.1, count: n)])
        let norm = clipGradNorm(ps, maxNorm: 1e9)
        XCTAssertEqual(norm, (Double(Float(0.1)) * Double(Float(0.1)) * Double(n)).squareRoot(), accuracy: 1e-9)
    }

    func testNonFiniteNormIsReportedNotApplied() {
        let inf = params([[1, .infinity], [2]])
        XCTAssertEqual(clipGradNorm(inf, maxNorm: 1), .infinity)
        XCTAssertEqual(inf[1].grad!.scalars, [2])
        let nan = params([[1, .nan], [2]])
        XCTAssertTrue(clipGradNorm(nan, maxNorm: 1).isNaN)
        XCTAssertEqual(nan[1].grad!.scalars, [2])
    }
}
