import Foundation
import SequoiaTensor
import XCTest

private func softmaxReference(_ v: [Double]) -> [Double] {
    let m = v.max()!
    let e = v.map { (x: Double) -> Double in Foundation.exp(x - m) }
    let s = e.reduce(0, +)
    return e.map { $0 / s }
}

private func logSoftmaxReference(_ v: [Double]) -> [Double] {
    let lse = logSumExpReference(v)
    return v.map { $0 - lse }
}

final class SoftmaxTests: XCTestCase {
    func testSoftmaxAlongEachAxis() {
        let shape = [2, 3, 4]
        for axis in [0, 1, 2, -1, -2] {
            checkOp("softmax axis \(axis)", shapes: [shape], ranges: [-3...3], op: { $0[0].softmax(axis: axis) },
                    reference: { x in mapLanes(x[0], shape, axis: axis, softmaxReference) })
            checkOp("logSoftmax axis \(axis)", shapes: [shape], ranges: [-3...3], op: { $0[0].logSoftmax(axis: axis) },
                    reference: { x in mapLanes(x[0], shape, axis: axis, logSoftmaxReference) })
        }
    }

    func testLongRowsAndWideLanes() {
        // Rows past one SIMD vector with a ragged tail; tiles of more than 8 lanes; a size-1 axis.
        for (shape, axis) in [([3, 21], -1), ([2, 5, 11], 1), ([3, 1, 4], 1), ([17], 0)] {
            checkOp("softmax \(shape) axis \(axis)", shapes: [shape], ranges: [-4...4],
                    op: { $0[0].softmax(axis: axis) },
                    reference: { x in mapLanes(x[0], shape, axis: axis, softmaxReference) })
            checkOp("logSoftmax \(shape) axis \(axis)", shapes: [shape], ranges: [-4...4],
                    op: { $0[0].logSoftmax(axis: axis) },
                    reference: { x in mapLanes(x[0], shape, axis: axis, logSoftmaxReference) })
        }
    }

    func testEveryRaggedTail() {
        // Row lengths 1...17 cover every partial-vector width on both sides of a full vector.
        for n in 1...17 {
            checkOp("softmax n=\(n)", shapes: [[2, n]], op: { $0[0].softmax() },
                    reference: { x in mapLanes(x[0], [2, n], axis: 1, softmaxReference) })
            checkOp("logSoftmax n=\(n)", shapes: [[2, n]], op: { $0[0].logSoftmax() },
                    reference: { x in mapLanes(x[0], [2, n], axis: 1, logSoftmaxReference) })
            checkOp("softmax lanes=\(n)", shapes: [[3, n]], op: { $0[0].softmax(axis: 0) },
                    reference: { x in mapLanes(x[0], [3, n], axis: 0, softmaxReference) })
        }
    }

    func testComposesWithOtherOps() {
        // Gradients flow through softmax into a downstream op and back to a shared input.
        checkOp("softmax * x", shapes: [[2, 6]], op: { $0[0].softmax() * $0[0] },
                reference: { x in
                    let p = mapLanes(x[0], [2, 6], axis: 1, softmaxReference)
                    return zip(p, x[0]).map { $0 * $1 }
                })
    }

    func testStableForLargeLogitsAndMasks() {
        let x = Tensor(shape: [2, 3], scalars: [1000, 1001, 999, -.infinity, 0, -.infinity])
        let p = x.softmax().scalars.map(Double.init)
        let want = softmaxReference([1000, 1001, 999]) + [0, 1, 0]
        assertClose(p, want, tolerance: 1e-6, "softmax of large and masked logits")
        let lp = x.logSoftmax().scalars
        assertClose(lp.prefix(3).map(Double.init), logSoftmaxReference([1000, 1001, 999]), tolerance: 1e-6,
                    "logSoftmax of large logits")
        XCTAssertEqual(Array(lp.suffix(3)), [-.infinity, 0, -.infinity])
        // Rows sum to one.
        var rng = RandomGenerator(seed: 5)
        let rows = Tensor.randn([64, 1000], std: 5, rng: &rng).softmax().sum(axis: 1).scalars
        for r in rows { XCTAssertEqual(r, 1, accuracy: 1e-5) }
    }
}
