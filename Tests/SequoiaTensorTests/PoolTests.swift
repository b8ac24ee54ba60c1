import SequoiaTensor
import XCTest

/// Pools every kernel x kernel window (every `stride`) of x [B, C, H, W] with `combine`.
private func directPool(_ x: [Double], _ shape: [Int], kernel: Int, stride: Int,
                        combine: ([Double]) -> Double) -> [Double] {
    let planes = shape[0] * shape[1], h = shape[2], w = shape[3]
    let oh = (h - kernel) / stride + 1, ow = (w - kernel) / stride + 1
    var out: [Double] = []
    for p in 0..<planes {
        for i in 0..<oh {
            for j in 0..<ow {
                var window: [Double] = []
                for di in 0..<kernel {
                    for dj in 0..<kernel { window.append(x[p * h * w + (i * stride + di) * w + j * stride + dj]) }
                }
                out.append(combine(window))
            }
        }
    }
    return out
}

final class PoolTests: XCTestCase {
    private let cases: [(shape: [Int], kernel: Int, stride: Int?)] = [
        ([2, 3, 7, 6], 3, nil),  // windows do not tile: the last row and column are dropped
        ([2, 3, 7, 6], 3, 2),    // overlapping windows
        ([1, 2, 5, 5], 2, 1),
        ([2, 1, 4, 4], 2, nil),
        ([1, 1, 3, 5], 3, 3),
    ]

    func testAvgPool() {
        for c in cases {
            checkOp("avgPool \(c)", shapes: [c.shape], op: { avgPool2d($0[0], kernel: c.kernel, stride: c.stride) },
                    reference: { x in
                        directPool(x[0], c.shape, kernel: c.kernel, stride: c.stride ?? c.kernel) {
                            $0.reduce(0, +) / Double($0.count)
                        }
                    })
        }
    }

    func testMaxPool() {
        for c in cases {
            checkOp("maxPool \(c)", shapes: [c.shape], op: { maxPool2d($0[0], kernel: c.kernel, stride: c.stride) },
                    reference: { x in
                        directPool(x[0], c.shape, kernel: c.kernel, stride: c.stride ?? c.kernel) { $0.max()! }
                    })
        }
    }

    func testOutputShapes() {
        XCTAssertEqual(avgPool2d(Tensor.zeros([2, 3, 7, 6]), kernel: 3).shape, [2, 3, 2, 2])
        XCTAssertEqual(maxPool2d(Tensor.zeros([2, 3, 7, 6]), kernel: 3, stride: 2).shape, [2, 3, 3, 2])
    }

    func testMaxPoolTieGoesToFirstMaximum() {
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, 3, 3, 2], requiresGrad: true)
        let y = maxPool2d(x, kernel: 2)
        XCTAssertEqual(y.scalars, [3])
        y.backward(Tensor.ones([1, 1, 1, 1]))
        XCTAssertEqual(x.grad!.scalars, [0, 1, 0, 0])
    }
}
