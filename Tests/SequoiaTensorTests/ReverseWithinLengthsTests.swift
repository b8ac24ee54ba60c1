import SequoiaTensor
import XCTest

final class ReverseWithinLengthsTests: XCTestCase {
    /// Float64 reference from the definition: row b's first n positions reversed, the rest kept.
    private func reference(_ x: [Double], shape: [Int], lengths: [Int]) -> [Double] {
        let (batch, length) = (shape[0], shape[1])
        let width = x.count / (batch * length)
        var out = [Double](repeating: 0, count: x.count)
        for b in 0..<batch {
            for t in 0..<length {
                let source = t < lengths[b] ? lengths[b] - 1 - t : t
                for c in 0..<width { out[(b * length + t) * width + c] = x[(b * length + source) * width + c] }
            }
        }
        return out
    }

    func testMixedLengths() {
        let shape = [4, 5, 3], lengths = [5, 3, 0, 1]
        checkOp("reversedWithinLengths", shapes: [shape], op: { reversedWithinLengths($0[0], lengths: lengths) },
                reference: { (x: [[Double]]) -> [Double] in self.reference(x[0], shape: shape, lengths: lengths) })
    }

    func testRankTwoAndFourInputs() {
        checkOp("reversedWithinLengths rank 2", shapes: [[2, 7]], op: { reversedWithinLengths($0[0], lengths: [7, 4]) },
                reference: { (x: [[Double]]) -> [Double] in self.reference(x[0], shape: [2, 7], lengths: [7, 4]) })
        checkOp("reversedWithinLengths rank 4", shapes: [[2, 3, 2, 2]], op: { reversedWithinLengths($0[0], lengths: [2, 3]) },
                reference: { (x: [[Double]]) -> [Double] in self.reference(x[0], shape: [2, 3, 2, 2], lengths: [2, 3]) })
    }

    func testFullLengthsEqualFlipAndTwiceIsIdentity() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.randn([3, 9, 17], rng: &rng)
        XCTAssertEqual(reversedWithinLengths(x, lengths: [9, 9, 9]).scalars, x.flipped(axis: 1).scalars)
        let lengths = [9, 2, 6]
        XCTAssertEqual(reversedWithinLengths(reversedWithinLengths(x, lengths: lengths), lengths: lengths).scalars, x.scalars)
    }
}
