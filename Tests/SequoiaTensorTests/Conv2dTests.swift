import SequoiaTensor
import XCTest

/// out[b, o, i, j] = bias[o] + sum_{c, di, dj} w[o, c, di, dj] x[b, c, i*s - p + di, j*s - p + dj] (zero outside).
private func directConv2d(_ x: [Double], _ xShape: [Int], _ w: [Double], _ wShape: [Int], _ bias: [Double]?,
                          stride s: Int, padding p: Int) -> [Double] {
    let (batch, cin, h, wd) = (xShape[0], xShape[1], xShape[2], xShape[3])
    let (cout, kh, kw) = (wShape[0], wShape[2], wShape[3])
    let oh = (h + 2 * p - kh) / s + 1, ow = (wd + 2 * p - kw) / s + 1
    var out: [Double] = []
    for b in 0..<batch {
        for o in 0..<cout {
            for i in 0..<oh {
                for j in 0..<ow {
                    var sum = bias?[o] ?? 0
                    for c in 0..<cin {
                        for di in 0..<kh {
                            for dj in 0..<kw {
                                let y = i * s - p + di, x0 = j * s - p + dj
                                guard y >= 0 && y < h && x0 >= 0 && x0 < wd else { continue }
                                sum += w[((o * cin + c) * kh + di) * kw + dj] * x[((b * cin + c) * h + y) * wd + x0]
                            }
                        }
                    }
                    out.append(sum)
                }
            }
        }
    }
    return out
}

final class Conv2dTests: XCTestCase {
    private func check(x xShape: [Int], weight wShape: [Int], bias: Bool = true, stride: Int, padding: Int,
                       line: UInt = #line) {
        var shapes = [xShape, wShape]
        if bias { shapes.append([wShape[0]]) }
        checkOp("conv2d x\(xShape) w\(wShape) s=\(stride) p=\(padding)", shapes: shapes,
                op: { conv2d($0[0], weight: $0[1], bias: bias ? $0[2] : nil, stride: stride, padding: padding) },
                reference: { v in
                    directConv2d(v[0], xShape, v[1], wShape, bias ? v[2] : nil, stride: stride, padding: padding)
                }, line: line)
    }

    func testStrideOneNoPadding() { check(x: [2, 2, 5, 6], weight: [3, 2, 3, 3], stride: 1, padding: 0) }
    func testStrideOnePadding() { check(x: [2, 2, 5, 6], weight: [3, 2, 3, 3], stride: 1, padding: 1) }
    func testStrideTwoNoPadding() { check(x: [2, 2, 7, 6], weight: [3, 2, 3, 3], stride: 2, padding: 0) }
    func testStrideTwoPadding() { check(x: [2, 2, 5, 6], weight: [3, 2, 3, 3], stride: 2, padding: 1) }
    func testNonSquareKernel() { check(x: [2, 2, 5, 6], weight: [3, 2, 2, 3], stride: 1, padding: 1) }
    func testNonSquareKernelStrided() { check(x: [2, 2, 6, 5], weight: [3, 2, 3, 2], stride: 2, padding: 1) }
    func testPointwise() { check(x: [2, 2, 3, 4], weight: [3, 2, 1, 1], stride: 1, padding: 0) }
    func testNoBias() { check(x: [2, 2, 4, 4], weight: [3, 2, 3, 3], bias: false, stride: 1, padding: 1) }
    /// Padding wider than the kernel reach: whole output rows and columns see only zeros.
    func testWidePadding() { check(x: [1, 2, 3, 3], weight: [3, 2, 2, 2], stride: 3, padding: 2) }

    func testOutputShape() {
        let y = conv2d(Tensor.zeros([2, 3, 32, 30]), weight: Tensor.zeros([8, 3, 3, 3]), bias: nil, stride: 2, padding: 1)
        XCTAssertEqual(y.shape, [2, 8, 16, 15])
    }
}
