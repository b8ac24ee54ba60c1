import SequoiaTensor
import XCTest

final class BinaryOpTests: XCTestCase {
    func testAddSameShape() {
        checkOp("add", shapes: [[3, 4], [3, 4]], op: { $0[0] + $0[1] },
                reference: { x in zip(x[0], x[1]).map { $0 + $1 } })
    }

    func testSubBroadcastRow() {
        checkOp("sub row", shapes: [[2, 3, 4], [4]], op: { $0[0] - $0[1] },
                reference: { x in (0..<24).map { (i: Int) -> Double in x[0][i] - x[1][i % 4] } })
    }

    func testMulBroadcastMiddle() {
        // [2, 3, 4] * [2, 1, 4]: a broadcast that is neither a scalar nor a suffix.
        checkOp("mul middle", shapes: [[2, 3, 4], [2, 1, 4]], op: { $0[0] * $0[1] },
                reference: { x in
                    (0..<24).map { (i: Int) -> Double in x[0][i] * x[1][(i / 12) * 4 + i % 4] }
                })
    }

    func testDivBothBroadcast() {
        // [3, 1] / [1, 4] -> [3, 4]: both operands broadcast.
        checkOp("div outer", shapes: [[3, 1], [1, 4]], ranges: [-1...1, 0.5...2], op: { $0[0] / $0[1] },
                reference: { x in (0..<12).map { (i: Int) -> Double in x[0][i / 4] / x[1][i % 4] } })
    }

    func testScalarOperandsAndNegation() {
        checkOp("scalar ops", shapes: [[5]], op: { x in
                    let a: Tensor = 2 * x[0] + 1
                    return -(a / 4 - 3)
                },
                reference: { x in x[0].map { (v: Double) -> Double in -((2 * v + 1) / 4 - 3) } })
    }

    func testGradientAccumulatesWhenReused() {
        // y = x * x + x uses x three times: dy/dx = 2x + 1.
        checkOp("reuse", shapes: [[6]], op: { $0[0] * $0[0] + $0[0] },
                reference: { x in x[0].map { $0 * $0 + $0 } })
    }

    func testNoGradModeRecordsNothing() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let y = GradMode.withoutGrad { x * x }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(y.isLeaf)
    }

    func testGraphIsFreedAfterBackward() {
        let x = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let h = x * x
        let y = h * 3
        y.backward(Tensor.ones([2]))
        XCTAssertTrue(h.isLeaf, "intermediate node released")
        XCTAssertEqual(x.grad?.scalars, [6, 12])
        // Leaf gradients add across backward calls until cleared.
        (x * 2).backward(Tensor.ones([2]))
        XCTAssertEqual(x.grad?.scalars, [8, 14])
    }
}
