import Foundation
import SequoiaTensor
import XCTest

/// Each op against a float64 reference of its definition; [3, 7] has a partial SIMD vector.
final class UnaryOpTests: XCTestCase {
    private func check(_ name: String, range: ClosedRange<Float> = -2...2, shape: [Int] = [3, 7],
                       _ op: @escaping (Tensor) -> Tensor, _ f: @escaping (Double) -> Double,
                       file: StaticString = #filePath, line: UInt = #line) {
        checkOp(name, shapes: [shape], ranges: [range], op: { op($0[0]) },
                reference: { x in x[0].map(f) }, file: file, line: line)
    }

    func testExp() { check("exp", range: -5...5, { $0.exp() }, { Foundation.exp($0) }) }
    func testLog() { check("log", range: 0.1...10, { $0.log() }, { Foundation.log($0) }) }
    func testSqrt() { check("sqrt", range: 0.1...10, { $0.sqrt() }, { $0.squareRoot() }) }
    func testRsqrt() { check("rsqrt", range: 0.2...10, { $0.rsqrt() }, { 1 / $0.squareRoot() }) }

    func testPowFastPaths() {
        for p: Float in [0, 1, 2, 3, 0.5, -1] {
            check("pow \(p)", range: 0.2...3, { $0.pow(p) }, { Foundation.pow($0, Double(p)) })
        }
    }

    func testPowGeneral() {
        check("pow 3 negative base", { $0.pow(3) }, { $0 * $0 * $0 })
        check("pow 4 negative base", { $0.pow(4) }, { $0 * $0 * $0 * $0 })
        check("pow 1.7", range: 0.1...4, { $0.pow(1.7) }, { Foundation.pow($0, 1.7) })
        check("pow -2.5", range: 0.5...3, { $0.pow(-2.5) }, { Foundation.pow($0, -2.5) })
    }

    func testTanh() {
        check("tanh", range: -3...3, { $0.tanh() }, { Foundation.tanh($0) })
        check("tanh wide", range: -40...40, shape: [37], { $0.tanh() }, { Foundation.tanh($0) })
    }

    func testSigmoid() {
        check("sigmoid", range: -6...6, { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) })
        check("sigmoid wide", range: -40...40, shape: [37], { $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) })
    }

    func testSilu() {
        check("silu", range: -6...6, { $0.silu() }, { $0 / (1 + Foundation.exp(-$0)) })
    }

    func testGelu() {
        check("gelu", range: -5...5, { $0.gelu() }, { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) })
    }

    func testGeluTanh() {
        check("gelu tanh", range: -5...5, { $0.geluTanh() }, { (x: Double) -> Double in
            0.5 * x * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
        })
    }

    func testSoftplus() {
        let softplus = { (x: Double) -> Double in x > 20 ? x : Foundation.log1p(Foundation.exp(x)) }
        check("softplus", range: -8...8, { $0.softplus() }, softplus)
        // Across PyTorch's threshold: identity (and gradient 1) above 20.
        check("softplus threshold", range: 15...30, shape: [29], { $0.softplus() }, softplus)
        check("softplus negative tail", range: -40 ... -10, shape: [29], { $0.softplus() }, softplus)
    }

    func testRelu() {
        check("relu", { $0.relu() }, { max($0, 0) })
    }

    func testSinCos() {
        check("sin", range: -7...7, { $0.sin() }, { Foundation.sin($0) })
        check("cos", range: -7...7, { $0.cos() }, { Foundation.cos($0) })
    }

    func testAbs() {
        check("abs", { $0.abs() }, { Swift.abs($0) })
    }

    func testOddShapes() {
        // A scalar (tail only), one full vector plus one, and a size-1 dimension.
        for shape in [[], [9], [1, 8], [2, 1, 3]] as [[Int]] {
            check("tanh \(shape)", shape: shape, { $0.tanh() }, { Foundation.tanh($0) })
            check("gelu \(shape)", shape: shape, { $0.gelu() }, { 0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot()) })
        }
        let empty = Tensor(shape: [0, 3], scalars: [], requiresGrad: true)
        let y = empty.exp()
        XCTAssertEqual(y.shape, [0, 3])
        y.backward(Tensor.zeros([0, 3]))
        XCTAssertEqual(empty.grad?.shape, [0, 3])
    }

    func testLargeTensorUsesParallelChunks() {
        // 100_003 elements: several parallel chunks plus a partial vector at the end.
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.uniform([100_003], low: -10, high: 10, rng: &rng)
        let xs = x.scalars
        let pairs: [(Tensor, (Double) -> Double)] = [
            (x.sigmoid(), { 1 / (1 + Foundation.exp(-$0)) }),
            (x.sin(), { Foundation.sin($0) }),
            (x.gelu(), { 0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot()) }),
        ]
        for (y, f) in pairs {
            assertClose(y.scalars.map(Double.init), xs.map { f(Double($0)) }, tolerance: 1e-6, "large")
        }
    }

    /// Saturated inputs give exact limits and finite gradients, never inf - inf or 0 * inf.
    func testExtremesStayFinite() {
        let values: [Float] = [-1000, -100, -30, 30, 100, 1000]
        let ops: [(String, (Tensor) -> Tensor)] = [
            ("sigmoid", { $0.sigmoid() }), ("tanh", { $0.tanh() }), ("silu", { $0.silu() }),
            ("softplus", { $0.softplus() }), ("gelu", { $0.gelu() }), ("geluTanh", { $0.geluTanh() }),
        ]
        for (name, op) in ops {
            let x = Tensor(shape: [values.count], scalars: values, requiresGrad: true)
            let y = op(x)
            y.backward(Tensor.ones(y.shape))
            XCTAssert(y.scalars.allSatisfy { $0.isFinite }, "\(name) forward \(y.scalars)")
            XCTAssert(x.grad!.scalars.allSatisfy { $0.isFinite }, "\(name) gradient \(x.grad!.scalars)")
        }
        let x = Tensor(shape: [values.count], scalars: values)
        // e^-100 is subnormal in float: the negative tail is computed, not flushed.
        let tail: [Float] = [0, Float(Foundation.exp(-100.0)), Float(Foundation.exp(-30.0))]
        for (got, want) in zip(x.sigmoid().scalars, tail + [1, 1, 1]) { XCTAssertEqual(got, want, accuracy: want.ulp) }
        XCTAssertEqual(x.tanh().scalars, [-1, -1, -1, 1, 1, 1])
        for (got, want) in zip(x.softplus().scalars, tail + [30, 100, 1000]) { XCTAssertEqual(got, want, accuracy: want.ulp) }
        XCTAssertEqual(x.relu().scalars, [0, 0, 0, 30, 100, 1000])
    }

    func testDomainEdges() {
        let x = Tensor(shape: [4], scalars: [0, -1, .infinity, 4])
        XCTAssertEqual(x.log().scalars[0], -.infinity)
        XCTAssert(x.log().scalars[1].isNaN)
        XCTAssertEqual(x.log().scalars[2], .infinity)
        XCTAssert(x.sqrt().scalars[1].isNaN)
        XCTAssertEqual(x.sqrt().scalars[3], 2)
        XCTAssertEqual(x.rsqrt().scalars[0], .infinity)
        XCTAssertEqual(Tensor(shape: [2], scalars: [100, -200]).exp().scalars, [.infinity, 0])
    }

    func testGradientFlowsOnlyWhenRequired() {
        let x = Tensor(shape: [3], scalars: [1, 2, 3])
        XCTAssertFalse(x.exp().requiresGrad)
        let w = Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
        XCTAssertTrue(GradMode.withoutGrad { w.silu() }.isLeaf)
    }
}
