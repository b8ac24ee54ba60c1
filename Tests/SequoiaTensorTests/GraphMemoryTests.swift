import SequoiaTensor
import XCTest

/// A recorded graph that is never differentiated must still be freed: an op's backward
/// closure that captured its own output would keep output and graph alive forever.
final class GraphMemoryTests: XCTestCase {
    func testOutputsAreFreedWithoutBackward() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor.uniform([2, 4, 6], low: 0.5, high: 1.5, rng: &rng, requiresGrad: true)
        let w = Tensor.uniform([6, 6], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let ops: [(String, () -> Tensor)] = [
            ("div", { x / x }), ("exp", { x.exp() }), ("log", { x.log() }), ("sqrt", { x.sqrt() }),
            ("rsqrt", { x.rsqrt() }), ("pow", { x.pow(1.5) }), ("tanh", { x.tanh() }), ("sigmoid", { x.sigmoid() }),
            ("silu", { x.silu() }), ("gelu", { x.gelu() }), ("softplus", { x.softplus() }),
            ("sum", { x.sum(axis: 1) }), ("max", { x.max(axis: -1) }), ("logSumExp", { x.logSumExp(axis: -1) }),
            ("softmax", { x.softmax() }), ("logSoftmax", { x.logSoftmax() }), ("mean", { x.mean() }),
            ("linear", { linear(x, weight: w, bias: nil) }), ("matmul", { matmul(x, w) }),
            ("layerNorm", { layerNorm(x, weight: nil, bias: nil, eps: 1e-5) }),
            ("rmsNorm", { rmsNorm(x, weight: nil, eps: 1e-5) }),
            ("permute", { x.permuted([2, 0, 1]) }), ("flip", { x.flipped(axis: 1) }),
            ("concat", { Tensor.concatenate([x, x], axis: 1) }), ("slice", { x.sliced(axis: 2, 1..<3) }),
            ("conv1d", { causalDepthwiseConv1d(x, weight: w, bias: nil) }),
            ("fftConv", { fftConv(x, w.sliced(axis: 0, 0..<4)) }),
            ("rfft", { rfft(x) }), ("maxPool", { maxPool2d(x.reshaped([1, 2, 4, 6]), kernel: 2) }),
            ("attention", { scaledDotProductAttention(q: x.reshaped([1, 4, 2, 6]), k: x.reshaped([1, 4, 2, 6]),
                                                      v: x.reshaped([1, 4, 2, 6]), causal: true) }),
        ]
        for (name, op) in ops {
            weak var weakOut: Tensor?
            do {
                let out = op()
                XCTAssertTrue(out.requiresGrad, name)
                weakOut = out
            }
            XCTAssertNil(weakOut, "\(name): output (and its graph) leaked")
        }
    }
}
