import Foundation
import SequoiaTensor
import XCTest

/// The SIMD exp / log / tanh / sigmoid / normal CDF / sin / cos kernels, reached through the
/// public ops whose forward pass is exactly that kernel, against float64 libm.
final class VectorMathTests: XCTestCase {
    /// 100_003 points over [lo, hi] (a partial SIMD vector at the end) and the IEEE specials.
    private func sweep(_ lo: Float, _ hi: Float) -> [Float] {
        let n = 100_003
        let dense = (0..<n).map { (i: Int) -> Float in lo + (hi - lo) * Float(i) / Float(n - 1) }
        let specials: [Float] = [0, -0, .infinity, -.infinity, .nan, 88.7, 88.72, 88.73, -87.3, -103, -103.9, -104,
                                 1e-30, -1e-30, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 0.625, -0.625]
        return specials + dense
    }

    /// Largest error in result-ulps (for subnormal results the subnormal spacing); NaN and
    /// infinities must match exactly.
    private func maxUlpError(_ op: (Tensor) -> Tensor, _ f: (Double) -> Double, _ inputs: [Float],
                             file: StaticString = #filePath, line: UInt = #line) -> Double {
        let got = op(Tensor(shape: [inputs.count], scalars: inputs)).scalars
        var worst = 0.0
        for (x, y) in zip(inputs, got) {
            let ref = f(Double(x))
            let want = Float(ref)
            if want.isNaN || !want.isFinite {
                XCTAssert(y.isNaN == want.isNaN && (y.isNaN || y == want), "f(\(x)) = \(y), want \(want)", file: file, line: line)
                continue
            }
            guard y.isFinite else {
                XCTFail("f(\(x)) = \(y), want \(want)", file: file, line: line)
                continue
            }
            let ulps = Swift.abs(Double(y) - ref) / Double(want.ulp)
            worst = max(worst, ulps)
        }
        return worst
    }

    func testExp() {
        let e = maxUlpError({ $0.exp() }, { Foundation.exp($0) }, sweep(-110, 100))
        XCTAssertLessThanOrEqual(e, 1, "measured 0.96")
    }

    func testLog() {
        var inputs = sweep(0, 100) + sweep(-1, 1)
        inputs += (0..<20_000).map { Float(bitPattern: UInt32($0) &* 212_987 &+ 1) }  // all binades
        let e = maxUlpError({ $0.log() }, { Foundation.log($0) }, inputs)
        XCTAssertLessThanOrEqual(e, 1, "measured 0.78")
    }

    func testTanh() {
        let e = maxUlpError({ $0.tanh() }, { Foundation.tanh($0) }, sweep(-100, 100) + sweep(-1, 1))
        XCTAssertLessThanOrEqual(e, 1.5, "measured 1.49")
        XCTAssertEqual(Tensor(-0.0).tanh().item().sign, .minus, "odd at zero")
    }

    func testSigmoid() {
        let e = maxUlpError({ $0.sigmoid() }, { 1 / (1 + Foundation.exp(-$0)) }, sweep(-100, 100) + sweep(-1, 1))
        XCTAssertLessThanOrEqual(e, 2, "measured 2.00")
    }

    /// Exact GELU through the SIMD normal CDF; below -12.5 the result nears the subnormals.
    func testGeluNormalCDF() {
        let e = maxUlpError({ $0.gelu() }, { 0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot()) }, sweep(-12.5, 20) + sweep(-1, 1))
        XCTAssertLessThanOrEqual(e, 6, "measured 5.2")
    }

    /// sin / cos error is absolute (relative error is unbounded at their zeros); past
    /// |x| = 8192 lanes go to libm.
    func testSinCos() {
        let inputs = sweep(-100, 100) + sweep(-8192, 8192) + [1e4, -3e5, 1e30, 0.1, -1e-20]
        for (name, op, f) in [("sin", { (t: Tensor) in t.sin() }, { (v: Double) in Foundation.sin(v) }),
                              ("cos", { (t: Tensor) in t.cos() }, { (v: Double) in Foundation.cos(v) })] {
            let got = op(Tensor(shape: [inputs.count], scalars: inputs)).scalars
            var worst = 0.0
            for (x, y) in zip(inputs, got) {
                let want = f(Double(x))
                if !want.isFinite { XCTAssert(y.isNaN, "\(name)(\(x)) = \(y)"); continue }
                worst = max(worst, Swift.abs(Double(y) - want))
            }
            XCTAssertLessThanOrEqual(worst, 1e-7, "\(name): measured 9.0e-8")
        }
        // Near 0 the error is relative: sin(x) = x.
        XCTAssertEqual(Tensor(shape: [2], scalars: [1e-20, -3e-8]).sin().scalars, [1e-20, -3e-8])
    }
}
