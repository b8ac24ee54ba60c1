import Foundation
import SequoiaModels
import SequoiaTensor
import XCTest

/// Rotary frequencies and tables against float64 values computed here from the published formulas.
final class RotaryScalingTests: XCTestCase {
    let headDim = 64
    let theta = 10000.0

    /// RoPE (Su et al.): inv_freq_i = theta^(-2i/d), i = 0..<d/2.
    func plainFrequencies(theta: Double, dim: Int) -> [Double] {
        (0..<(dim / 2)).map { (i: Int) -> Double in Foundation.pow(theta, -2 * Double(i) / Double(dim)) }
    }

    func assertRelativelyClose(_ ours: [Float], _ expected: [Double], _ tolerance: Double, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours.count, expected.count, what, file: file, line: line)
        for (i, (a, b)) in zip(ours, expected).enumerated() {
            XCTAssertLessThanOrEqual(Swift.abs(Double(a) - b), tolerance * Swift.abs(b),
                                     "\(what)[\(i)]: \(a) vs \(b)", file: file, line: line)
        }
    }

    func testPlainFrequencies() {
        let rope = RotaryEmbedding(headDim: headDim, theta: theta)
        assertRelativelyClose(rope.inverseFrequencies(length: 10), plainFrequencies(theta: theta, dim: headDim), 1e-6, "plain")
        XCTAssertEqual(rope.attentionFactor, 1)
    }

    func testLinearDividesFrequencies() {
        // Position interpolation (Chen et al. 2023): angle = (t / s) * inv_freq.
        let rope = RotaryEmbedding(headDim: headDim, theta: theta, scaling: .linear(factor: 4))
        assertRelativelyClose(rope.inverseFrequencies(length: 10), plainFrequencies(theta: theta, dim: headDim).map { $0 / 4 },
                              1e-6, "linear")
    }

    func testStaticNTKRaisesTheBase() {
        // NTK-aware: theta' = theta * s^(d / (d - 2)).
        let rope = RotaryEmbedding(headDim: headDim, theta: theta, scaling: .ntk(factor: 8))
        let base = theta * Foundation.pow(8, Double(headDim) / Double(headDim - 2))
        assertRelativelyClose(rope.inverseFrequencies(length: 10), plainFrequencies(theta: base, dim: headDim), 1e-6, "ntk")
    }

    func testDynamicNTKGrowsPastTheTrainedLength() {
        // Dynamic NTK: for L > Lmax, theta' = theta * (s L / Lmax - (s - 1))^(d / (d - 2)); unscaled up to Lmax.
        let rope = RotaryEmbedding(headDim: headDim, theta: theta, scaling: .dynamic(factor: 2, maxPositions: 128))
        let plain = RotaryEmbedding(headDim: headDim, theta: theta)
        XCTAssertEqual(rope.inverseFrequencies(length: 128), plain.inverseFrequencies(length: 128))
        let length = 300
        let base = theta * Foundation.pow(2 * Double(length) / 128 - 1, Double(headDim) / Double(headDim - 2))
        assertRelativelyClose(rope.inverseFrequencies(length: length), plainFrequencies(theta: base, dim: headDim), 1e-6, "dynamic")
    }

    /// YaRN (Peng et al. 2023) in float64: with r(b) = d ln(Lmax / (2 pi b)) / (2 ln theta), the ramp
    /// runs from lo = max(floor r(beta_fast), 0) to hi = min(ceil r(beta_slow), d - 1), and
    /// inv_i = (1 - ramp_i) theta^(-2i/d) + ramp_i theta^(-2i/d) / s, ramp_i = clamp((i - lo) / (hi - lo), 0, 1).
    func yarnFrequencies(factor s: Double, maxPositions: Double, betaFast: Double, betaSlow: Double) -> [Double] {
        let d = Double(headDim)
        let r = { (b: Double) -> Double in d * Foundation.log(maxPositions / (2 * Double.pi * b)) / (2 * Foundation.log(self.theta)) }
        let lo = max(Foundation.floor(r(betaFast)), 0), hi = min(Foundation.ceil(r(betaSlow)), d - 1)
        return plainFrequencies(theta: theta, dim: headDim).enumerated().map { (i: Int, inv: Double) -> Double in
            let ramp = min(max((Double(i) - lo) / (hi - lo), 0), 1)
            return (1 - ramp) * inv + ramp * inv / s
        }
    }

    func testYarnBlendsAndScalesTheTables() {
        let rope = RotaryEmbedding(headDim: headDim, theta: theta,
                                   scaling: .yarn(factor: 4, maxPositions: 2048, betaFast: 32, betaSlow: 1, attentionFactor: nil))
        let expected = yarnFrequencies(factor: 4, maxPositions: 2048, betaFast: 32, betaSlow: 1)
        assertRelativelyClose(rope.inverseFrequencies(length: 16), expected, 2e-6, "yarn")
        // The ramp must really blend: some frequencies kept, some divided, some in between.
        let plain = plainFrequencies(theta: theta, dim: headDim)
        let ratios = zip(expected, plain).map { $0 / $1 }
        XCTAssertTrue(ratios.contains { $0 == 1 } && ratios.contains { Swift.abs($0 - 0.25) < 1e-12 }
                      && ratios.contains { $0 > 0.3 && $0 < 0.9 })

        // Attention factor 0.1 ln(s) + 1, multiplied into cos and sin.
        let factor = 0.1 * Foundation.log(4.0) + 1
        XCTAssertEqual(Double(rope.attentionFactor), factor, accuracy: 1e-7)
        let (cos, sin) = rope.tables(length: 40)
        let half = headDim / 2
        for t in 0..<40 {
            for i in 0..<half {
                let angle = Double(t) * expected[i]
                XCTAssertEqual(Double(cos.scalars[t * half + i]), factor * Foundation.cos(angle), accuracy: 1e-5)
                XCTAssertEqual(Double(sin.scalars[t * half + i]), factor * Foundation.sin(angle), accuracy: 1e-5)
            }
        }
        let given = RotaryEmbedding(headDim: headDim, theta: theta,
                                    scaling: .yarn(factor: 4, maxPositions: 2048, betaFast: 32, betaSlow: 1, attentionFactor: 0.7))
        XCTAssertEqual(given.attentionFactor, 0.7)
    }

    func testLlama3SmoothsBetweenWavelengths() {
        // Llama 3.1: wavelength w = 2 pi / inv; w < Lorig / high: kept; w > Lorig / low: inv / s; otherwise
        // (1 - g) inv / s + g inv with g = (Lorig / w - low) / (high - low).
        let (s, low, high, original, base) = (8.0, 1.0, 4.0, 8192.0, 500000.0)
        let rope = RotaryEmbedding(headDim: headDim, theta: base,
                                   scaling: .llama3(factor: s, lowFrequencyFactor: low, highFrequencyFactor: high,
                                                    originalMaxPositions: Int(original)))
        let expected = plainFrequencies(theta: base, dim: headDim).map { (inv: Double) -> Double in
            let w = 2 * Double.pi / inv
            if w < original / high { return inv }
            if w > original / low { return inv / s }
            let g = (original / w - low) / (high - low)
            return (1 - g) * inv / s + g * inv
        }
        assertRelativelyClose(rope.inverseFrequencies(length: 16), expected, 2e-6, "llama3")
        let plain = plainFrequencies(theta: base, dim: headDim)
        XCTAssertTrue(zip(expected, plain).contains { $0 / $1 > 1 / s + 1e-3 && $0 / $1 < 1 - 1e-3 }, "no smoothed band")
    }

    func testFactorOneIsUnscaled() {
        let plain = RotaryEmbedding(headDim: headDim, theta: theta)
        let length = 50
        let reference = plain.tables(length: length)
        let scalings: [RopeScaling] = [
            .linear(factor: 1), .ntk(factor: 1), .dynamic(factor: 1, maxPositions: 64),
            .yarn(factor: 1, maxPositions: 2048, betaFast: 32, betaSlow: 1, attentionFactor: nil),
            .llama3(factor: 1, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8192),
        ]
        for scaling in scalings {
            let rope = RotaryEmbedding(headDim: headDim, theta: theta, scaling: scaling)
            XCTAssertEqual(rope.attentionFactor, 1, "\(scaling)")
            // Blends of a value with itself may round differently in the last bit.
            for (a, b) in zip(rope.inverseFrequencies(length: length), plain.inverseFrequencies(length: length)) {
                XCTAssertEqual(a, b, accuracy: 2 * b.ulp, "\(scaling)")
            }
            let tables = rope.tables(length: length)
            XCTAssertEqual(tables.cos.shape, [length, headDim / 2])
            for (a, b) in zip(tables.cos.scalars + tables.sin.scalars, reference.cos.scalars + reference.sin.scalars) {
                XCTAssertEqual(a, b, accuracy: 1e-5, "\(scaling)")
            }
        }
    }

    func testTablesAreCosAndSinOfPositionTimesFrequency() {
        let rope = RotaryEmbedding(headDim: 8, theta: 100)
        let inv = plainFrequencies(theta: 100, dim: 8)
        let (cos, sin) = rope.tables(length: 7)
        XCTAssertEqual(cos.shape, [7, 4])
        XCTAssertEqual(sin.shape, [7, 4])
        for t in 0..<7 {
            for i in 0..<4 {
                XCTAssertEqual(Double(cos.scalars[t * 4 + i]), Foundation.cos(Double(t) * inv[i]), accuracy: 1e-6)
                XCTAssertEqual(Double(sin.scalars[t * 4 + i]), Foundation.sin(Double(t) * inv[i]), accuracy: 1e-6)
            }
        }
    }

    func testConfigReadsEachRopeType() throws {
        func scaling(_ json: String) throws -> RopeScaling {
            try ModelConfigCoding.decoder().decode(RopeScalingConfig.self, from: Data(json.utf8)).scaling(maxPositionEmbeddings: 4096)
        }
        XCTAssertEqual(try scaling(#"{"type": "linear", "factor": 2.0}"#), .linear(factor: 2))
        XCTAssertEqual(try scaling(#"{"rope_type": "dynamic", "type": "linear", "factor": 2}"#),
                       .dynamic(factor: 2, maxPositions: 4096))
        XCTAssertEqual(try scaling(#"{"rope_type": "yarn", "factor": 4, "original_max_position_embeddings": 32768}"#),
                       .yarn(factor: 4, maxPositions: 4096, betaFast: 32, betaSlow: 1, attentionFactor: nil))
        XCTAssertEqual(try scaling(#"{"rope_type": "llama3", "factor": 8, "low_freq_factor": 1, "high_freq_factor": 4, "original_max_position_embeddings": 8192}"#),
                       .llama3(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalMaxPositions: 8192))
        XCTAssertEqual(try scaling(#"{"rope_type": "default"}"#), RopeScaling.none)
        XCTAssertThrowsError(try scaling(#"{"rope_type": "longrope", "factor": 2}"#))
        XCTAssertThrowsError(try scaling(#"{"rope_type": "linear"}"#))
    }
}
