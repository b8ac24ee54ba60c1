import Foundation
import SequoiaTensor
import XCTest

final class RotaryTests: XCTestCase {
    func testRotateHalfConvention() {
        let (batch, length, heads, hd) = (2, 3, 2, 6)
        let half = hd / 2
        // Tables are data, not differentiated: build them once from known angles.
        let angles = (0..<(length * half)).map { Float($0) * 0.37 }
        let cos = Tensor(shape: [length, half], scalars: angles.map { Foundation.cos($0) })
        let sin = Tensor(shape: [length, half], scalars: angles.map { Foundation.sin($0) })
        checkOp("rotary", shapes: [[batch, length, heads, hd]],
                op: { applyRotary($0[0], cos: cos, sin: sin) },
                reference: { x in
                    var y = [Double](repeating: 0, count: x[0].count)
                    for row in 0..<(batch * length) {
                        let t = row % length
                        for h in 0..<heads {
                            let base = (row * heads + h) * hd
                            for i in 0..<half {
                                let th = Double(angles[t * half + i])
                                let a = x[0][base + i], b = x[0][base + half + i]
                                // q cos + rotate_half(q) sin, rotate_half([a, b]) = [-b, a]
                                y[base + i] = a * Foundation.cos(th) - b * Foundation.sin(th)
                                y[base + half + i] = b * Foundation.cos(th) + a * Foundation.sin(th)
                            }
                        }
                    }
                    return y
                })
    }
}
