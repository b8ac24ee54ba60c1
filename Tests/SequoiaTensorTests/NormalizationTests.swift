import SequoiaTensor
import XCTest

/// Row-wise normalization in float64: (x - mean) / sqrt(var + eps) * w + b for layerNorm
/// (biased variance), x / sqrt(mean(x²) + eps) * w for rmsNorm.
private func referenceNorm(_ x: [Double], width d: Int, weight: [Double]?, bias: [Double]?, eps: Double,
                           centered: Bool) -> [Double] {
    var y = [Double](repeating: 0, count: x.count)
    for row in 0..<(x.count / d) {
        var mean = 0.0
        if centered {
            for j in 0..<d { mean += x[row * d + j] }
            mean /= Double(d)
        }
        var ms = 0.0
        for j in 0..<d { ms += (x[row * d + j] - mean) * (x[row * d + j] - mean) }
        ms /= Double(d)
        let rstd = 1 / (ms + eps).squareRoot()
        for j in 0..<d {
            y[row * d + j] = (x[row * d + j] - mean) * rstd * (weight?[j] ?? 1) + (bias?[j] ?? 0)
        }
    }
    return y
}

final class NormalizationTests: XCTestCase {
    private func checkLayerNorm(_ name: String, shape: [Int], weight: Bool, bias: Bool, eps: Float = 1e-5,
                                file: StaticString = #filePath, line: UInt = #line) {
        let d = shape.last!
        var shapes = [shape]
        if weight { shapes.append([d]) }
        if bias { shapes.append([d]) }
        checkOp(name, shapes: shapes, ranges: [-2...2, 0.5...1.5, -1...1].prefix(shapes.count).map { $0 },
                op: { t in
                    layerNorm(t[0], weight: weight ? t[1] : nil, bias: bias ? t[weight ? 2 : 1] : nil, eps: eps)
                },
                reference: { x in
                    referenceNorm(x[0], width: d, weight: weight ? x[1] : nil, bias: bias ? x[weight ? 2 : 1] : nil,
                                  eps: Double(eps), centered: true)
                }, file: file, line: line)
    }

    private func checkRMSNorm(_ name: String, shape: [Int], weight: Bool, eps: Float = 1e-5,
                              file: StaticString = #filePath, line: UInt = #line) {
        let d = shape.last!
        checkOp(name, shapes: weight ? [shape, [d]] : [shape], ranges: [-2...2, 0.5...1.5],
                op: { t in rmsNorm(t[0], weight: weight ? t[1] : nil, eps: eps) },
                reference: { x in
                    referenceNorm(x[0], width: d, weight: weight ? x[1] : nil, bias: nil, eps: Double(eps), centered: false)
                }, file: file, line: line)
    }

    func testLayerNormWeightAndBias() {
        checkLayerNorm("ln w b", shape: [2, 3, 8], weight: true, bias: true)
    }

    func testLayerNormOddWidth() {
        // 33 = four SIMD groups plus a scalar tail.
        checkLayerNorm("ln 33", shape: [3, 33], weight: true, bias: true)
        checkLayerNorm("ln 33 plain", shape: [2, 33], weight: false, bias: false)
    }

    func testLayerNormWithoutAffine() {
        checkLayerNorm("ln plain", shape: [4, 6], weight: false, bias: false)
        checkLayerNorm("ln weight only", shape: [4, 6], weight: true, bias: false)
        checkLayerNorm("ln bias only", shape: [4, 6], weight: false, bias: true)
    }

    func testLayerNormWidthOne() {
        // Every row is its own mean: the output is the bias and dx is zero.
        checkLayerNorm("ln width 1", shape: [5, 1], weight: true, bias: true)
    }

    func testRMSNorm() {
        checkRMSNorm("rms w", shape: [2, 3, 8], weight: true)
        checkRMSNorm("rms plain", shape: [3, 5], weight: false)
        checkRMSNorm("rms 33", shape: [2, 33], weight: true)
    }

    func testRMSNormWidthOne() {
        // y = w·x/sqrt(x² + eps): nearly sign(x)·w, steep near 0; a larger eps keeps the
        // finite differences honest.
        checkRMSNorm("rms width 1", shape: [6, 1], weight: true, eps: 0.1)
    }

    func testWideRowsWithOffset() {
        // 4096-wide rows with a mean far from 0: the row statistics must not cancel.
        var rng = RandomGenerator(seed: 2)
        let d = 4096
        let x = Tensor.uniform([3, d], low: 9, high: 11, rng: &rng, requiresGrad: true)
        let w = Tensor.uniform([d], low: 0.5, high: 1.5, rng: &rng, requiresGrad: true)
        let b = Tensor.uniform([d], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let y = layerNorm(x, weight: w, bias: b, eps: 1e-5)
        let x64 = x.scalars.map(Double.init)
        assertClose(y.scalars.map(Double.init),
                    referenceNorm(x64, width: d, weight: w.scalars.map(Double.init), bias: b.scalars.map(Double.init),
                                  eps: 1e-5, centered: true),
                    tolerance: 2e-5, "wide layerNorm")
        // Upstream = ones: db is the row count per column, dw the column sums of x̂.
        y.backward(Tensor.ones([3, d]))
        XCTAssertEqual(b.grad!.scalars, [Float](repeating: 3, count: d))
        let xhat = referenceNorm(x64, width: d, weight: nil, bias: nil, eps: 1e-5, centered: true)
        let dw = (0..<d).map { (j: Int) -> Double in xhat[j] + xhat[d + j] + xhat[2 * d + j] }
        assertClose(w.grad!.scalars.map(Double.init), dw, tolerance: 2e-5, "wide layerNorm dweight")
        // dx = rstd·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)) with ĝ = w (dy is ones).
        let w64 = w.scalars.map(Double.init)
        var dx = [Double](repeating: 0, count: 3 * d)
        for row in 0..<3 {
            var mean = 0.0, ms = 0.0, meanG = 0.0, meanGX = 0.0
            for j in 0..<d { mean += x64[row * d + j] / Double(d) }
            for j in 0..<d { ms += (x64[row * d + j] - mean) * (x64[row * d + j] - mean) / Double(d) }
            for j in 0..<d {
                meanG += w64[j] / Double(d)
                meanGX += w64[j] * xhat[row * d + j] / Double(d)
            }
            let rstd = 1 / (ms + 1e-5).squareRoot()
            for j in 0..<d { dx[row * d + j] = rstd * (w64[j] - meanG - xhat[row * d + j] * meanGX) }
        }
        assertClose(x.grad!.scalars.map(Double.init), dx, tolerance: 2e-5, "wide layerNorm dx")
    }
}
