import SequoiaTensor
import XCTest

/// out[i0, ..., ir] = x[index with dimension axes[k] = i_k].
private func permuteReference(_ x: [Double], _ shape: [Int], _ axes: [Int]) -> [Double] {
    let outShape = axes.map { shape[$0] }
    return (0..<x.count).map { (flat: Int) -> Double in
        let o = unflatten(flat, outShape)
        var src = [Int](repeating: 0, count: shape.count)
        for k in 0..<axes.count { src[axes[k]] = o[k] }
        return x[flatten(src, shape)]
    }
}

/// All orderings of 0..<n.
private func permutations(_ n: Int) -> [[Int]] {
    if n == 0 { return [[]] }
    return permutations(n - 1).flatMap { p in (0...p.count).map { i -> [Int] in var q = p; q.insert(n - 1, at: i); return q } }
}

final class ShapeOpTests: XCTestCase {
    func testPermuteRank3And4() {
        let shape3 = [2, 3, 4]
        for axes in permutations(3) {
            checkOp("permute \(axes)", shapes: [shape3], op: { $0[0].permuted(axes) },
                    reference: { x in permuteReference(x[0], shape3, axes) })
        }
        let shape4 = [2, 3, 1, 5]
        for axes in permutations(4) {
            checkOp("permute \(axes)", shapes: [shape4], op: { $0[0].permuted(axes) },
                    reference: { x in permuteReference(x[0], shape4, axes) })
        }
        XCTAssertEqual(Tensor.zeros([2, 3, 4]).permuted([2, 0, 1]).shape, [4, 2, 3])
    }

    func testTransposeWithNegativeAxes() {
        checkOp("transpose", shapes: [[2, 3, 4]], op: { $0[0].transposed(0, -1) },
                reference: { x in permuteReference(x[0], [2, 3, 4], [2, 1, 0]) })
        checkOp("transpose last two", shapes: [[3, 5, 2]], op: { $0[0].transposed(-1, -2) },
                reference: { x in permuteReference(x[0], [3, 5, 2], [0, 2, 1]) })
    }

    func testLargePermuteInParallel() {
        var rng = RandomGenerator(seed: 4)
        let shape = [24, 70, 40]
        let x = Tensor.uniform(shape, rng: &rng)
        let xs = x.scalars.map(Double.init)
        for axes in [[2, 0, 1], [0, 2, 1], [1, 0, 2]] {
            assertClose(x.permuted(axes).scalars.map(Double.init), permuteReference(xs, shape, axes),
                        tolerance: 0, "permute \(axes)")
        }
    }

    func testSliceAtTheEndsAndMiddle() {
        let shape = [3, 5, 4]
        for (axis, range) in [(1, 0..<2), (1, 3..<5), (1, 1..<4), (0, 2..<3), (-1, 0..<4), (-1, 3..<4), (0, 0..<3)] {
            checkOp("slice axis \(axis) \(range)", shapes: [shape], op: { $0[0].sliced(axis: axis, range) },
                    reference: { x in
                        let a = axis < 0 ? axis + 3 : axis
                        var outShape = shape
                        outShape[a] = range.count
                        return (0..<outShape.reduce(1, *)).map { (flat: Int) -> Double in
                            var i = unflatten(flat, outShape)
                            i[a] += range.lowerBound
                            return x[0][flatten(i, shape)]
                        }
                    })
        }
        XCTAssertEqual(Tensor.zeros([3, 5]).sliced(axis: 1, 2..<2).shape, [3, 0])
    }

    func testConcatenateThreeSizes() {
        for axis in [0, 1, 2, -2] {
            let a = axis < 0 ? axis + 3 : axis
            var shapes = [[2, 3, 4], [2, 3, 4], [2, 3, 4]]
            shapes[0][a] = 1; shapes[1][a] = 3; shapes[2][a] = 2
            checkOp("concatenate axis \(axis)", shapes: shapes,
                    op: { Tensor.concatenate($0, axis: axis) },
                    reference: { x in
                        var outShape = shapes[0]
                        outShape[a] = 6
                        return (0..<outShape.reduce(1, *)).map { (flat: Int) -> Double in
                            var i = unflatten(flat, outShape)
                            var t = 0
                            while i[a] >= shapes[t][a] { i[a] -= shapes[t][a]; t += 1 }
                            return x[t][flatten(i, shapes[t])]
                        }
                    })
        }
    }

    func testConcatenateSkipsInputsWithoutGradient() {
        let a = Tensor.ones([2, 2], requiresGrad: true), b = Tensor.ones([2, 3])
        let y = Tensor.concatenate([a, b], axis: 1)
        y.backward(Tensor(shape: [2, 5], scalars: (0..<10).map(Float.init)))
        XCTAssertEqual(a.grad?.scalars, [0, 1, 5, 6])
        XCTAssertNil(b.grad)
    }

    func testStackOnFirstAndLastAxis() {
        let shape = [2, 3]
        for axis in [0, 1, 2, -1] {
            let a = axis < 0 ? axis + 3 : axis
            checkOp("stack axis \(axis)", shapes: [shape, shape, shape],
                    op: { Tensor.stack($0, axis: axis) },
                    reference: { x in
                        var outShape = shape
                        outShape.insert(3, at: a)
                        return (0..<18).map { (flat: Int) -> Double in
                            var i = unflatten(flat, outShape)
                            let t = i.remove(at: a)
                            return x[t][flatten(i, shape)]
                        }
                    })
        }
        XCTAssertEqual(Tensor.stack([Tensor.zeros([2, 3]), Tensor.zeros([2, 3])], axis: -1).shape, [2, 3, 2])
    }

    func testBroadcast() {
        for (from, to) in [([3, 1], [2, 3, 4]), ([4], [2, 3, 4]), ([], [2, 2]), ([2, 1, 4], [2, 3, 4])] {
            checkOp("broadcast \(from) to \(to)", shapes: [from], op: { $0[0].broadcast(to: to) },
                    reference: { x in
                        (0..<to.reduce(1, *)).map { (flat: Int) -> Double in
                            let i = unflatten(flat, to)
                            let offset = to.count - from.count
                            let src = (0..<from.count).map { (d: Int) -> Int in from[d] == 1 ? 0 : i[d + offset] }
                            return x[0][flatten(src, from)]
                        }
                    })
        }
    }

    func testFlipEachAxis() {
        let shape = [2, 3, 4]
        for axis in [0, 1, 2, -1] {
            let a = axis < 0 ? axis + 3 : axis
            checkOp("flip axis \(axis)", shapes: [shape], op: { $0[0].flipped(axis: axis) },
                    reference: { x in
                        (0..<24).map { (flat: Int) -> Double in
                            var i = unflatten(flat, shape)
                            i[a] = shape[a] - 1 - i[a]
                            return x[0][flatten(i, shape)]
                        }
                    })
        }
    }

    func testSqueezeAndUnsqueeze() {
        let x = Tensor.zeros([2, 1, 3])
        XCTAssertEqual(x.squeezed(axis: 1).shape, [2, 3])
        XCTAssertEqual(x.squeezed(axis: -2).shape, [2, 3])
        XCTAssertEqual(x.unsqueezed(axis: 0).shape, [1, 2, 1, 3])
        XCTAssertEqual(x.unsqueezed(axis: -1).shape, [2, 1, 3, 1])
        checkOp("unsqueeze then squeeze", shapes: [[2, 3]],
                op: { $0[0].unsqueezed(axis: 1).permuted([2, 1, 0]).squeezed(axis: 1) },
                reference: { x in permuteReference(x[0], [2, 3], [1, 0]) })
    }
}
