import Foundation
import SequoiaTensor
import XCTest

/// float64 attention with an explicit score matrix and masks, from the definition.
private func referenceAttention(q: [Double], k: [Double], v: [Double], batch: Int, lq: Int, lk: Int,
                                heads: Int, kvHeads: Int, hd: Int, causal: Bool, window: Int?,
                                keyLengths: [Int]?) -> [Double] {
    var out = [Double](repeating: 0, count: batch * lq * heads * hd)
    let scale = 1 / Double(hd).squareRoot()
    for b in 0..<batch {
        for h in 0..<heads {
            let kvh = h / (heads / kvHeads)
            for i in 0..<lq {
                let pos = i + lk - lq
                var scores = [Double](repeating: -.infinity, count: lk)
                for j in 0..<lk {
                    if causal && j > pos { continue }
                    if let w = window, abs(pos - j) >= w { continue }
                    if let n = keyLengths?[b], j >= n { continue }
                    var s = 0.0
                    for d in 0..<hd { s += q[((b * lq + i) * heads + h) * hd + d] * k[((b * lk + j) * kvHeads + kvh) * hd + d] }
                    scores[j] = s * scale
                }
                let m = scores.max()!
                let e = scores.map { Foundation.exp($0 - m) }
                let z = e.reduce(0, +)
                for j in 0..<lk where e[j] > 0 {
                    for d in 0..<hd {
                        out[((b * lq + i) * heads + h) * hd + d] += e[j] / z * v[((b * lk + j) * kvHeads + kvh) * hd + d]
                    }
                }
            }
        }
    }
    return out
}

final class AttentionTests: XCTestCase {
    private func check(_ name: String, batch: Int = 2, lq: Int, lk: Int, heads: Int, kvHeads: Int, hd: Int,
                       causal: Bool, window: Int? = nil, keyLengths: [Int]? = nil) {
        checkOp(name, shapes: [[batch, lq, heads, hd], [batch, lk, kvHeads, hd], [batch, lk, kvHeads, hd]],
                ranges: [-2...2, -2...2, -1...1],
                op: { x in
                    scaledDotProductAttention(q: x[0], k: x[1], v: x[2], causal: causal, window: window, keyLengths: keyLengths)
                },
                reference: { x in
                    referenceAttention(q: x[0], k: x[1], v: x[2], batch: batch, lq: lq, lk: lk, heads: heads,
                                       kvHeads: kvHeads, hd: hd, causal: causal, window: window, keyLengths: keyLengths)
                })
    }

    func testCausalGroupedQuery() { check("causal GQA", lq: 7, lk: 7, heads: 4, kvHeads: 2, hd: 8, causal: true) }
    func testBidirectionalOddHeadDim() { check("bidirectional", lq: 6, lk: 6, heads: 2, kvHeads: 2, hd: 11, causal: false) }
    func testSlidingWindow() { check("window", lq: 9, lk: 9, heads: 2, kvHeads: 1, hd: 4, causal: true, window: 3) }
    func testBidirectionalWindowAndPadding() {
        check("padding", lq: 6, lk: 6, heads: 2, kvHeads: 1, hd: 4, causal: false, window: 4, keyLengths: [6, 3])
    }
    func testQueriesAtTheEndOfTheKeys() { check("decode", lq: 2, lk: 5, heads: 2, kvHeads: 1, hd: 8, causal: true) }

    /// Many key blocks (more than the kernel's 64-key tile) with a causal mask.
    func testLongerThanOneTile() {
        check("long", batch: 1, lq: 100, lk: 100, heads: 1, kvHeads: 1, hd: 2, causal: true)
    }
}

final class AttentionChunkingTests: XCTestCase {
    /// The backward splits keys into chunks by thread count (partial dq sums); any split must
    /// give the same gradients.
    func testGradientsDoNotDependOnThreadCount() {
        var rng = RandomGenerator(seed: 21)
        let q = Tensor.randn([1, 300, 2, 8], rng: &rng), k = Tensor.randn([1, 300, 1, 8], rng: &rng)
        let v = Tensor.randn([1, 300, 1, 8], rng: &rng), g = Tensor.randn([1, 300, 2, 8], rng: &rng)
        func grads(threads: Int) -> [[Float]] {
            let saved = Parallel.threadCount
            Parallel.setThreadCount(threads)
            defer { Parallel.setThreadCount(saved) }
            let (a, b, c) = (q.detached(), k.detached(), v.detached())
            for t in [a, b, c] { t.requiresGrad = true }
            scaledDotProductAttention(q: a, k: b, v: c, causal: true).backward(g)
            return [a.grad!.scalars, b.grad!.scalars, c.grad!.scalars]
        }
        let one = grads(threads: 1), many = grads(threads: 5)
        for (x, y) in zip(one, many) {
            assertClose(x.map(Double.init), y.map(Double.init), tolerance: 1e-5, "gradients by thread count")
        }
    }
}
