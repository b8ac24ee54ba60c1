import Foundation
import SequoiaModels
import SequoiaTensor
import XCTest

/// VCWE's two pieces against independent implementations of the paper's formulas: the visual
/// context extension of RoPE (Eq. 3-5) and progressive pooling (Eq. 6-9).
final class VisualContextTests: XCTestCase {
    /// Eq. 3-5 written out directly in double precision.
    private func reference(headDim: Int, base: Double, window: Int, length: Int, alpha: Double, beta: Double) -> [Double] {
        let s = max(1, Double(length) / Double(window))
        return (0..<(headDim / 2)).map { i in
            let theta = pow(base, -2 * Double(i) / Double(headDim))
            let wavelength = 2 * Double.pi * pow(base, 2 * Double(i) / Double(headDim))
            let r = Double(window) / wavelength
            let gamma = r < alpha ? 0 : (r > beta ? 1 : (r - alpha) / (beta - alpha))
            return gamma * theta + (1 - gamma) * theta / s
        }
    }

    func testVisualContextExtensionFollowsTheFormula() throws {
        let scaling = try RopeScalingConfig(ropeType: "vcwe", originalMaxPositionEmbeddings: 256).scaling(maxPositionEmbeddings: 4096)
        XCTAssertEqual(scaling, .visual(trainedLength: 256, alpha: 1, beta: 32))
        let rope = RotaryEmbedding(headDim: 64, theta: 10000, scaling: scaling)
        let plain = RotaryEmbedding(headDim: 64, theta: 10000).inverseFrequencies(length: 1)
        for length in [1, 256, 1024, 4096] {
            let ours = rope.inverseFrequencies(length: length)
            let expected = reference(headDim: 64, base: 10000, window: 256, length: length, alpha: 1, beta: 32)
            for (i, (a, b)) in zip(ours, expected).enumerated() {
                XCTAssertEqual(Double(a), b, accuracy: 1e-6 * b, "length \(length), dimension \(i)")
            }
            if length <= 256 { XCTAssertEqual(ours, plain, "no scaling within the trained window") }
        }
        // At 16x the window: the fastest dimensions are kept, the slowest divided by s = 16.
        let sixteen = rope.inverseFrequencies(length: 4096)
        XCTAssertEqual(sixteen[0], plain[0])
        XCTAssertEqual(Double(sixteen[31]), Double(plain[31]) / 16, accuracy: 1e-6 * Double(plain[31]))
        XCTAssertTrue(zip(sixteen, plain).allSatisfy { $0 <= $1 })
        XCTAssertThrowsError(try RopeScalingConfig(ropeType: "vcwe", betaFast: 1, betaSlow: 2).scaling(maxPositionEmbeddings: 64))
    }

    /// The three ways past the trained window, set on any family's config through the protocol:
    /// attention's RoPE takes them, Mamba and Hyena (no positions) are unchanged.
    func testContextExtensionThroughTheConfigProtocol() throws {
        let plain = RotaryEmbedding(headDim: 4, theta: 10000).inverseFrequencies(length: 1)
        for (name, model) in try BackboneProtocolTests.models() {
            var config = model.config
            let before = try ModelRegistry.shared.encode(config)
            for method in ContextExtension.allCases {
                config.extendContext(method, trainedWindow: 8)
                let built = try ModelRegistry.shared.build(config, seed: 3)
                XCTAssertEqual(built.backbone(IndexTensor(shape: [1, 20], scalars: Array(repeating: 2, count: 20))).shape, [1, 20, 16], name)
                guard let attention = built.backbone as? TransformerBackbone else {
                    XCTAssertEqual(try ModelRegistry.shared.encode(config), before, "\(name) has no positions to rescale")
                    continue
                }
                let at32 = attention.rotary.inverseFrequencies(length: 32)
                switch method {
                case .extrapolation: XCTAssertEqual(at32, plain)
                case .interpolation: XCTAssertEqual(at32, plain.map { $0 / 4 })
                case .visual: XCTAssertEqual(attention.rotary.scaling, .visual(trainedLength: 8, alpha: 1, beta: 32))
                }
                XCTAssertEqual(attention.rotary.inverseFrequencies(length: 8), plain, "no change within the window")
            }
        }
    }

    /// Progressive pooling against loops over the paper's grouping.
    func testProgressivePoolingAgainstDirectLoops() {
        let (frames, h, w, c) = (9, 7, 7, 5)
        var rng = RandomGenerator(seed: 3)
        let maps = Tensor.randn([frames, h, w, c], rng: &rng)
        let pooling = ProgressivePooling(groupSize: 4, highStride: 2, lowStride: 7)
        let (tokens, frameOfToken) = pooling(maps)
        XCTAssertEqual(tokens.shape, [3 * 16 + 6, c])
        XCTAssertEqual(pooling.tokenCount(frames: frames, height: h, width: w), 54)
        XCTAssertEqual(frameOfToken, (0..<frames).flatMap { Array(repeating: $0, count: $0 % 4 == 0 ? 16 : 1) })
        var token = 0
        for f in 0..<frames {
            let s = f % 4 == 0 ? 2 : 7
            for y0 in stride(from: 0, to: h, by: s) {
                for x0 in stride(from: 0, to: w, by: s) {
                    for ch in 0..<c {
                        var sum = 0.0, n = 0
                        for y in y0..<min(h, y0 + s) {
                            for x in x0..<min(w, x0 + s) {
                                sum += Double(maps.scalars[((f * h + y) * w + x) * c + ch])
                                n += 1
                            }
                        }
                        XCTAssertEqual(Double(tokens.scalars[token * c + ch]), sum / Double(n), accuracy: 1e-6)
                    }
                    token += 1
                }
            }
        }
        XCTAssertEqual(token, 54)
        // Uniform pooling (K = 1) is every frame at the fine stride: 64 tokens per four frames here.
        XCTAssertEqual(ProgressivePooling(groupSize: 1, highStride: 2, lowStride: 7).tokenCount(frames: 4, height: 7, width: 7), 64)
        XCTAssertEqual(pooling.tokenCount(frames: 256, height: 7, width: 7), 64 * 19)
    }
}
