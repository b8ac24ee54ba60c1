import SequoiaTensor
import XCTest

/// Checks one op two ways against an independent float64 reference written from its
/// definition: the forward values, and every input gradient against central finite
/// differences of the float64 reference.
///
/// The analytic gradient comes from our autograd: the output is seeded with a random
/// upstream gradient r, so the checked function is sum(op(x) * r).
func checkOp(
    _ name: String,
    shapes: [[Int]],
    ranges: [ClosedRange<Float>]? = nil,
    seed: UInt64 = 7,
    forwardTolerance: Double = 1e-5,
    gradientTolerance: Double = 1e-4,
    step: Double = 1e-6,
    op: ([Tensor]) -> Tensor,
    reference: ([[Double]]) -> [Double],
    file: StaticString = #filePath, line: UInt = #line
) {
    var rng = RandomGenerator(seed: seed)
    let inputs = shapes.enumerated().map { i, shape in
        let r = ranges?[i] ?? -1...1
        return Tensor.uniform(shape, low: r.lowerBound, high: r.upperBound, rng: &rng, requiresGrad: true)
    }
    let x64 = inputs.map { $0.scalars.map(Double.init) }

    let y = op(inputs)
    let yRef = reference(x64)
    XCTAssertEqual(y.count, yRef.count, "\(name): output size", file: file, line: line)
    guard y.count == yRef.count else { return }
    assertClose(y.scalars.map(Double.init), yRef, tolerance: forwardTolerance, "\(name) forward", file: file, line: line)

    let upstream = Tensor.uniform(y.shape, low: -1, high: 1, rng: &rng)
    let r = upstream.scalars.map(Double.init)
    y.backward(upstream)

    func objective(_ xs: [[Double]]) -> Double {
        zip(reference(xs), r).reduce(0) { $0 + $1.0 * $1.1 }
    }
    for (i, input) in inputs.enumerated() {
        var numeric = [Double](repeating: 0, count: input.count)
        var xs = x64
        for j in 0..<input.count {
            let saved = xs[i][j]
            xs[i][j] = saved + step
            let plus = objective(xs)
            xs[i][j] = saved - step
            let minus = objective(xs)
            xs[i][j] = saved
            numeric[j] = (plus - minus) / (2 * step)
        }
        guard let g = input.grad else {
            XCTFail("\(name): no gradient for input \(i)", file: file, line: line)
            continue
        }
        XCTAssertEqual(g.shape, input.shape, "\(name): gradient shape of input \(i)", file: file, line: line)
        assertClose(g.scalars.map(Double.init), numeric, tolerance: gradientTolerance,
                    "\(name) gradient of input \(i)", file: file, line: line)
    }
}

/// max |a - b| relative to max |b| (with a floor of 1, so tiny tensors compare absolutely).
func assertClose(_ a: [Double], _ b: [Double], tolerance: Double, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): sizes", file: file, line: line)
    let scale = max(1, b.map(Swift.abs).max() ?? 0)
    var worst = 0.0, at = 0
    for k in 0..<min(a.count, b.count) {
        let e = Swift.abs(a[k] - b[k])
        if !(e <= worst) { worst = e; at = k }
    }
    XCTAssert(worst <= tolerance * scale,
              "\(what): max error \(worst) at \(at) (got \(a[at]), want \(b[at])) exceeds \(tolerance) x \(scale)",
              file: file, line: line)
}

/// Row-major index helpers for writing float64 references with plain loops.
func strides(of shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    for i in stride(from: shape.count - 2, through: 0, by: -1) { s[i] = s[i + 1] * shape[i + 1] }
    return s
}
