import Foundation
import SequoiaTensor
import XCTest

final class ReductionTests: XCTestCase {
    private let shape = [2, 3, 5]

    func testSumAndMeanOfEverything() {
        checkOp("sum", shapes: [[3, 7]], op: { $0[0].sum() },
                reference: { x in [x[0].reduce(0, +)] })
        checkOp("mean", shapes: [[3, 7]], op: { $0[0].mean() },
                reference: { x in [x[0].reduce(0, +) / 21] })
        var rng = RandomGenerator(seed: 1)
        XCTAssertEqual(Tensor.randn([4, 2], rng: &rng).sum().shape, [])
    }

    func testSumAndMeanAlongEachAxis() {
        for axis in [0, 1, 2, -1, -2, -3] {
            for keep in [false, true] {
                checkOp("sum axis \(axis) keep \(keep)", shapes: [shape],
                        op: { $0[0].sum(axis: axis, keepDims: keep) },
                        reference: { x in reduceLanes(x[0], self.shape, axis: axis) { $0.reduce(0, +) } })
                checkOp("mean axis \(axis) keep \(keep)", shapes: [shape],
                        op: { $0[0].mean(axis: axis, keepDims: keep) },
                        reference: { x in
                            reduceLanes(x[0], self.shape, axis: axis) { (v: [Double]) -> Double in v.reduce(0, +) / Double(v.count) }
                        })
            }
        }
    }

    func testReducedShapes() {
        let x = Tensor.zeros([2, 3, 5])
        XCTAssertEqual(x.sum(axis: 1).shape, [2, 5])
        XCTAssertEqual(x.sum(axis: -1, keepDims: true).shape, [2, 3, 1])
        XCTAssertEqual(x.mean(axis: 0, keepDims: true).shape, [1, 3, 5])
        XCTAssertEqual(x.max(axis: -2).shape, [2, 5])
        XCTAssertEqual(x.logSumExp(axis: 2, keepDims: true).shape, [2, 3, 1])
        XCTAssertEqual(Tensor.ones([4]).sum(axis: 0).shape, [])
        XCTAssertEqual(Tensor(3).sum(axis: 0).item(), 3)
    }

    func testEmptyDimensions() {
        let rows = Tensor.zeros([2, 0])
        XCTAssertEqual(rows.sum(axis: 1).scalars, [0, 0])
        XCTAssertEqual(rows.logSumExp(axis: -1).scalars, [-.infinity, -.infinity])
        XCTAssertEqual(rows.sum(axis: 0).shape, [0])
        XCTAssertEqual(Tensor.zeros([0, 3, 4]).sum(axis: 1).shape, [0, 4])
        XCTAssertEqual(Tensor.zeros([0, 3, 4]).softmax(axis: 1).shape, [0, 3, 4])
        XCTAssertEqual(Tensor.zeros([3, 0, 4]).sum(axis: 1).scalars, [Float](repeating: 0, count: 12))
        XCTAssertEqual(Tensor.zeros([0]).sum().item(), 0)
    }

    func testWideLanesAndLongRows() {
        // Rows longer than one SIMD vector with a ragged tail, and tiles of more than 8 lanes.
        checkOp("sum long rows", shapes: [[3, 37]], op: { $0[0].sum(axis: -1) },
                reference: { x in reduceLanes(x[0], [3, 37], axis: 1) { $0.reduce(0, +) } })
        checkOp("sum wide lanes", shapes: [[2, 4, 19]], op: { $0[0].sum(axis: 1) },
                reference: { x in reduceLanes(x[0], [2, 4, 19], axis: 1) { $0.reduce(0, +) } })
        checkOp("max wide lanes", shapes: [[2, 4, 19]], op: { $0[0].max(axis: 1, keepDims: true) },
                reference: { x in reduceLanes(x[0], [2, 4, 19], axis: 1) { $0.max()! } })
        checkOp("lse wide lanes", shapes: [[2, 4, 19]], op: { $0[0].logSumExp(axis: 1) },
                reference: { x in reduceLanes(x[0], [2, 4, 19], axis: 1, logSumExpReference) })
    }

    func testEveryRaggedTail() {
        for n in 1...17 {
            checkOp("sum n=\(n)", shapes: [[2, n]], op: { $0[0].sum(axis: 1) },
                    reference: { x in reduceLanes(x[0], [2, n], axis: 1) { $0.reduce(0, +) } })
            checkOp("max n=\(n)", shapes: [[2, n]], op: { $0[0].max(axis: 1) },
                    reference: { x in reduceLanes(x[0], [2, n], axis: 1) { $0.max()! } })
            checkOp("lse n=\(n)", shapes: [[2, n]], op: { $0[0].logSumExp(axis: 1) },
                    reference: { x in reduceLanes(x[0], [2, n], axis: 1, logSumExpReference) })
            checkOp("column sum n=\(n)", shapes: [[3, n]], op: { $0[0].sum(axis: 0) },
                    reference: { x in reduceLanes(x[0], [3, n], axis: 0) { $0.reduce(0, +) } })
            checkOp("column max n=\(n)", shapes: [[3, n]], op: { $0[0].max(axis: 0) },
                    reference: { x in reduceLanes(x[0], [3, n], axis: 0) { $0.max()! } })
        }
    }

    func testMaxAlongEachAxis() {
        for axis in [0, 1, 2, -1] {
            for keep in [false, true] {
                checkOp("max axis \(axis) keep \(keep)", shapes: [shape],
                        op: { $0[0].max(axis: axis, keepDims: keep) },
                        reference: { x in reduceLanes(x[0], self.shape, axis: axis) { $0.max()! } })
            }
        }
        checkOp("max long rows", shapes: [[3, 29]], op: { $0[0].max(axis: -1) },
                reference: { x in reduceLanes(x[0], [3, 29], axis: 1) { $0.max()! } })
    }

    func testMaxGradientGoesToFirstMaximum() {
        // Ties in the scalar path, the SIMD path (same lane and different lanes) and the tiled path.
        var row = [Float](repeating: 0, count: 20)
        row[13] = 5; row[5] = 5; row[18] = 5
        let cases: [([Int], [Float], Int, [Float])] = [
            ([4], [1, 3, 3, 2], 0, [0, 1, 0, 0]),
            ([20], row, 0, (0..<20).map { $0 == 5 ? 1 : 0 }),
            ([3, 2], [1, 7, 4, 7, 4, 0], 0, [0, 1, 1, 0, 0, 0]),
        ]
        for (shape, values, axis, want) in cases {
            let x = Tensor(shape: shape, scalars: values, requiresGrad: true)
            let m = x.max(axis: axis)
            m.backward(Tensor.ones(m.shape))
            XCTAssertEqual(x.grad?.scalars, want, "\(shape)")
        }
        let allNegInf = Tensor.full([10], -.infinity).max(axis: 0)
        XCTAssertEqual(allNegInf.item(), -.infinity)
        XCTAssert(Tensor(shape: [9], scalars: [1, 2, .nan, 3, 4, 5, 6, 7, 8]).max(axis: 0).item().isNaN, "NaN propagates")
    }

    func testLogSumExpAlongEachAxis() {
        for axis in [0, 1, -1] {
            for keep in [false, true] {
                checkOp("lse axis \(axis) keep \(keep)", shapes: [shape],
                        op: { $0[0].logSumExp(axis: axis, keepDims: keep) },
                        reference: { x in reduceLanes(x[0], self.shape, axis: axis, logSumExpReference) })
            }
        }
        checkOp("lse long rows", shapes: [[2, 21]], ranges: [-30...30], op: { $0[0].logSumExp(axis: 1) },
                reference: { x in reduceLanes(x[0], [2, 21], axis: 1, logSumExpReference) })
    }

    func testLogSumExpIsStable() {
        let big = Tensor(shape: [2, 3], scalars: [1000, 1001, 999, -1000, -1001, -999])
        let lse = big.logSumExp(axis: 1).scalars.map(Double.init)
        assertClose(lse, [logSumExpReference([1000, 1001, 999]), logSumExpReference([-1000, -1001, -999])],
                    tolerance: 1e-6, "lse of large values")
        let inf = Tensor(shape: [2, 2], scalars: [-.infinity, -.infinity, .infinity, 0]).logSumExp(axis: 1).scalars
        XCTAssertEqual(inf, [-.infinity, .infinity])
    }

    func testLongSumsStayAccurate() {
        let n = 1_000_000
        let x = Tensor.full([n], 0.1)
        let want = Double(n) * Double(Float(0.1))
        XCTAssertEqual(Double(x.sum().item()), want, accuracy: want * 1e-4)
        XCTAssertEqual(Double(x.sum(axis: 0).item()), want, accuracy: want * 1e-4)
        XCTAssertEqual(Double(x.mean().item()), Double(Float(0.1)), accuracy: 1e-5)
        // Down a long axis with two lanes (the tiled path).
        let columns = Tensor.full([n / 2, 2], 0.1).sum(axis: 0).scalars
        for c in columns { XCTAssertEqual(Double(c), want / 2, accuracy: want * 1e-4) }
    }

    func testLargeReductionsInParallel() {
        // Big enough to split across threads; forward only, against plain float64 sums.
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.uniform([96, 1500], low: -1, high: 1, rng: &rng)
        let xs = x.scalars.map(Double.init)
        assertClose(x.sum(axis: 1).scalars.map(Double.init),
                    reduceLanes(xs, [96, 1500], axis: 1) { $0.reduce(0, +) }, tolerance: 1e-5, "rows")
        assertClose(x.sum(axis: 0).scalars.map(Double.init),
                    reduceLanes(xs, [96, 1500], axis: 0) { $0.reduce(0, +) }, tolerance: 1e-5, "columns")
        assertClose(x.max(axis: 0).scalars.map(Double.init),
                    reduceLanes(xs, [96, 1500], axis: 0) { $0.max()! }, tolerance: 0, "column max")
        assertClose(x.logSumExp(axis: 1).scalars.map(Double.init),
                    reduceLanes(xs, [96, 1500], axis: 1, logSumExpReference), tolerance: 1e-5, "row lse")
        assertClose([Double(x.sum().item())], [xs.reduce(0, +)], tolerance: 1e-5, "total")

        // More lanes than one tile holds, split across tiles and threads.
        let wide = Tensor.uniform([3, 9001], low: -2, high: 2, rng: &rng)
        let ws = wide.scalars.map(Double.init)
        assertClose(wide.sum(axis: 0).scalars.map(Double.init),
                    reduceLanes(ws, [3, 9001], axis: 0) { $0.reduce(0, +) }, tolerance: 1e-5, "wide sum")
        assertClose(wide.max(axis: 0).scalars.map(Double.init),
                    reduceLanes(ws, [3, 9001], axis: 0) { $0.max()! }, tolerance: 0, "wide max")
        assertClose(wide.logSumExp(axis: 0).scalars.map(Double.init),
                    reduceLanes(ws, [3, 9001], axis: 0, logSumExpReference), tolerance: 1e-5, "wide lse")
        let softmax = wide.softmax(axis: 0).scalars.map(Double.init)
        let want = mapLanes(ws, [3, 9001], axis: 0) { (v: [Double]) -> [Double] in
            let lse = logSumExpReference(v)
            return v.map { Foundation.exp($0 - lse) }
        }
        assertClose(softmax, want, tolerance: 1e-5, "wide softmax")
    }
}
