import SequoiaTensor
import XCTest

/// C_t = op(A_t) op(B_t) in float64 with plain loops; an unbatched operand is shared by every t.
private func referenceMatmul(_ a: [Double], _ b: [Double], batch: Int, m: Int, n: Int, k: Int,
                             transposeA: Bool, transposeB: Bool, batchedA: Bool, batchedB: Bool) -> [Double] {
    var c = [Double](repeating: 0, count: batch * m * n)
    for t in 0..<batch {
        let oa = batchedA ? t * m * k : 0, ob = batchedB ? t * k * n : 0
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = transposeA ? a[oa + p * m + i] : a[oa + i * k + p]
                    let bv = transposeB ? b[ob + j * k + p] : b[ob + p * n + j]
                    s += av * bv
                }
                c[(t * m + i) * n + j] = s
            }
        }
    }
    return c
}

final class MatmulTests: XCTestCase {
    /// Grad-checks matmul for one layout: batch dims on a and/or b, optional transposes.
    private func check(_ name: String, batch: [Int] = [], batchedA: Bool = true, batchedB: Bool = true,
                       m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) {
        let shapeA = (batchedA ? batch : []) + (transposeA ? [k, m] : [m, k])
        let shapeB = (batchedB ? batch : []) + (transposeB ? [n, k] : [k, n])
        let count = batch.reduce(1, *)
        checkOp(name, shapes: [shapeA, shapeB],
                op: { matmul($0[0], $0[1], transposeA: transposeA, transposeB: transposeB) },
                reference: { x in
                    referenceMatmul(x[0], x[1], batch: count, m: m, n: n, k: k, transposeA: transposeA,
                                    transposeB: transposeB, batchedA: batchedA || batch.isEmpty,
                                    batchedB: batchedB || batch.isEmpty)
                }, file: file, line: line)
    }

    func test2D() {
        check("2-D", m: 3, n: 5, k: 4)
    }

    func testAllTransposeCombinations() {
        for ta in [false, true] {
            for tb in [false, true] {
                check("2-D ta=\(ta) tb=\(tb)", m: 3, n: 5, k: 4, transposeA: ta, transposeB: tb)
            }
        }
    }

    func testFoldedLeadingDims() {
        // [2, 3, 4] x [4, 5]: the leading dims fold into M (one sgemm each way).
        check("folded", batch: [2], batchedB: false, m: 3, n: 5, k: 4)
        check("folded tb", batch: [2], batchedB: false, m: 3, n: 5, k: 4, transposeB: true)
        check("folded rank 4", batch: [2, 2], batchedB: false, m: 3, n: 2, k: 4)
    }

    func testSharedRightOperandWithTransposedLeft() {
        // A transposed batch cannot fold: a loop whose dB sums over the batch.
        check("shared b ta", batch: [2], batchedB: false, m: 3, n: 5, k: 4, transposeA: true)
        check("shared b ta tb", batch: [3], batchedB: false, m: 2, n: 5, k: 4, transposeA: true, transposeB: true)
    }

    func testSharedLeftOperand() {
        // [3, 4] x [2, 4, 5]: every item of b times one a; dA sums over the batch.
        check("shared a", batch: [2], batchedA: false, m: 3, n: 5, k: 4)
        check("shared a ta tb", batch: [2], batchedA: false, m: 3, n: 5, k: 4, transposeA: true, transposeB: true)
    }

    func testBatched() {
        for ta in [false, true] {
            for tb in [false, true] {
                check("batched ta=\(ta) tb=\(tb)", batch: [2], m: 3, n: 5, k: 4, transposeA: ta, transposeB: tb)
            }
        }
        check("batched rank 4", batch: [2, 3], m: 2, n: 3, k: 4, transposeB: true)
    }

    func testSizeOneDims() {
        check("m=1", m: 1, n: 4, k: 3)
        check("k=1", m: 3, n: 2, k: 1, transposeA: true)
        check("n=1 batched", batch: [2], m: 3, n: 1, k: 2, transposeB: true)
    }

    func testZeroInnerDimensionGivesZeros() {
        let c = matmul(Tensor.ones([2, 0]), Tensor.ones([0, 3]))
        XCTAssertEqual(c.shape, [2, 3])
        XCTAssertEqual(c.scalars, [Float](repeating: 0, count: 6))
    }

    /// Sizes where a wrong leading dimension or transpose cannot hide; gradients against
    /// dA = dC op(B)ᵀ and dB = op(A)ᵀ dC written out in float64.
    private func checkLarge(batch: Int, batchedB: Bool, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool) {
        var rng = RandomGenerator(seed: 11)
        let a = Tensor.uniform((batch > 1 ? [batch] : []) + (transposeA ? [k, m] : [m, k]),
                               low: -1, high: 1, rng: &rng, requiresGrad: true)
        let b = Tensor.uniform((batchedB && batch > 1 ? [batch] : []) + (transposeB ? [n, k] : [k, n]),
                               low: -1, high: 1, rng: &rng, requiresGrad: true)
        let c = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
        let a64 = a.scalars.map(Double.init), b64 = b.scalars.map(Double.init)
        let name = "large b=\(batch) ta=\(transposeA) tb=\(transposeB)"
        assertClose(c.scalars.map(Double.init),
                    referenceMatmul(a64, b64, batch: batch, m: m, n: n, k: k, transposeA: transposeA,
                                    transposeB: transposeB, batchedA: true, batchedB: batchedB),
                    tolerance: 1e-5, name)

        let dc = Tensor.uniform(c.shape, low: -1, high: 1, rng: &rng)
        c.backward(dc)
        let g = dc.scalars.map(Double.init)
        var da = [Double](repeating: 0, count: a.count), db = [Double](repeating: 0, count: b.count)
        for t in 0..<batch {
            let ob = batchedB ? t * k * n : 0
            for i in 0..<m {
                for j in 0..<n {
                    let gij = g[(t * m + i) * n + j]
                    for p in 0..<k {
                        let ia = t * m * k + (transposeA ? p * m + i : i * k + p)
                        let ib = ob + (transposeB ? j * k + p : p * n + j)
                        da[ia] += gij * b64[ib]
                        db[ib] += gij * a64[ia]
                    }
                }
            }
        }
        assertClose(a.grad!.scalars.map(Double.init), da, tolerance: 1e-5, "\(name) dA")
        assertClose(b.grad!.scalars.map(Double.init), db, tolerance: 1e-5, "\(name) dB")
    }

    func testLargeAgainstFloat64() {
        for ta in [false, true] {
            for tb in [false, true] {
                checkLarge(batch: 1, batchedB: false, m: 64, n: 80, k: 96, transposeA: ta, transposeB: tb)
            }
        }
        checkLarge(batch: 3, batchedB: false, m: 40, n: 72, k: 56, transposeA: false, transposeB: false)
        checkLarge(batch: 3, batchedB: false, m: 40, n: 72, k: 56, transposeA: false, transposeB: true)
        checkLarge(batch: 2, batchedB: true, m: 40, n: 72, k: 56, transposeA: true, transposeB: false)
    }

    func testLinearWithBias() {
        checkOp("linear bias", shapes: [[2, 3, 4], [5, 4], [5]],
                op: { linear($0[0], weight: $0[1], bias: $0[2]) },
                reference: { x in
                    var y = [Double](repeating: 0, count: 6 * 5)
                    for r in 0..<6 {
                        for o in 0..<5 {
                            var s = x[2][o]
                            for i in 0..<4 { s += x[0][r * 4 + i] * x[1][o * 4 + i] }
                            y[r * 5 + o] = s
                        }
                    }
                    return y
                })
    }

    func testLinearWithoutBias() {
        checkOp("linear", shapes: [[2, 3, 4], [5, 4]],
                op: { linear($0[0], weight: $0[1], bias: nil) },
                reference: { x in
                    var y = [Double](repeating: 0, count: 6 * 5)
                    for r in 0..<6 {
                        for o in 0..<5 {
                            var s = 0.0
                            for i in 0..<4 { s += x[0][r * 4 + i] * x[1][o * 4 + i] }
                            y[r * 5 + o] = s
                        }
                    }
                    return y
                })
    }

    func testLinearOnVector() {
        checkOp("linear 1-D", shapes: [[3], [2, 3], [2]],
                op: { linear($0[0], weight: $0[1], bias: $0[2]) },
                reference: { x in
                    (0..<2).map { (o: Int) -> Double in
                        x[2][o] + (0..<3).reduce(0.0) { (s: Double, i: Int) -> Double in s + x[0][i] * x[1][o * 3 + i] }
                    }
                })
        XCTAssertEqual(linear(Tensor.ones([3]), weight: Tensor.ones([2, 3]), bias: nil).shape, [2])
    }
}
