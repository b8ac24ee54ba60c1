import Foundation

/// Memory-linear attention: each query row streams over its keys in blocks with an online
/// softmax, keeping only the running max, the normaliser and one output row. The L x L score
/// matrix never exists; backward recomputes scores from the saved log-sum-exp.
///
/// Layouts are the projections' own ([B, L, heads, hd]), so no transpose is needed around it.
struct AttentionKernel {
    let batch: Int, queries: Int, keys: Int, heads: Int, kvHeads: Int, headDim: Int
    let causal: Bool
    /// Keys further than this from the query (in positions) are masked (sliding window).
    let window: Int?
    let scale: Float
    /// Per batch row, how many keys are real (right padding beyond is masked).
    let keyLengths: [Int]?

    static let block = 64
    /// Queries sit at the end of the key sequence (decoding with a cache): query i is at
    /// absolute position i + offset.
    var offset: Int { keys - queries }
    var group: Int { heads / kvHeads }

    /// Keys query i may attend to, as a closed range (empty when lower > upper).
    @inline(__always)
    func keyRange(batch b: Int, query i: Int) -> (Int, Int) {
        let pos = i + offset
        var lo = 0, hi = keys - 1
        if let n = keyLengths?[b] { hi = min(hi, n - 1) }
        if causal { hi = min(hi, pos) }
        if let w = window {
            lo = max(lo, pos - w + 1)
            if !causal { hi = min(hi, pos + w - 1) }
        }
        return (lo, hi)
    }

    @inline(__always)
    func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>) -> Float {
        var acc = FloatVector()
        var d = 0
        while d + 8 <= headDim {
            acc = acc.addingProduct(VectorMath.load(a + d), VectorMath.load(b + d))
            d += 8
        }
        var s = acc.sum()
        while d < headDim { s += a[d] * b[d]; d += 1 }
        return s
    }

    /// y += alpha * x over one head row.
    @inline(__always)
    func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        var d = 0
        while d + 8 <= headDim {
            VectorMath.store(VectorMath.load(y + d).addingProduct(alpha, VectorMath.load(x + d)), y + d)
            d += 8
        }
        while d < headDim { y[d] += alpha * x[d]; d += 1 }
    }

    @inline(__always) func qRow(_ b: Int, _ i: Int, _ h: Int) -> Int { ((b * queries + i) * heads + h) * headDim }
    @inline(__always) func kRow(_ b: Int, _ j: Int, _ h: Int) -> Int { ((b * keys + j) * kvHeads + h) * headDim }

    /// Rows are visited in pairs (i, L-1-i) so causal work splits evenly between threads.
    @inline(__always)
    func forEachRowBalanced(_ rowsPerHead: Int, headsTotal: Int, _ body: (Int, Int) -> Void) {
        let pairs = (rowsPerHead + 1) / 2
        Parallel.forChunks(headsTotal * pairs, grain: 1) { range in
            for item in range {
                let bh = item / pairs, p = item % pairs
                body(bh, p)
                if rowsPerHead - 1 - p != p { body(bh, rowsPerHead - 1 - p) }
            }
        }
    }

    /// o [B, Lq, H, hd] and lse [B, H, Lq].
    func forward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 o: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>) {
        forEachRowBalanced(queries, headsTotal: batch * heads) { bh, i in
            let b = bh / heads, h = bh % heads, kvh = h / group
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: Self.block)
            defer { scores.deallocate() }
            let qp = q + qRow(b, i, h), out = o + qRow(b, i, h)
            out.update(repeating: 0, count: headDim)
            var m = -Float.infinity, l: Float = 0
            let (lo, hi) = keyRange(batch: b, query: i)
            var j0 = lo
            while j0 <= hi {
                let n = min(Self.block, hi - j0 + 1)
                var blockMax = -Float.infinity
                for jj in 0..<n {
                    let s = scale * dot(qp, k + kRow(b, j0 + jj, kvh))
                    scores[jj] = s
                    blockMax = max(blockMax, s)
                }
                let mNew = max(m, blockMax)
                let alpha = m == -.infinity ? 0 : Foundation.exp(m - mNew)
                var sum: Float = 0
                var jj = 0
                while jj + 8 <= n {
                    let p = VectorMath.exp(VectorMath.load(scores + jj) - mNew)
                    VectorMath.store(p, scores + jj)
                    sum += p.sum()
                    jj += 8
                }
                while jj < n { scores[jj] = Foundation.exp(scores[jj] - mNew); sum += scores[jj]; jj += 1 }
                if alpha != 1 { for d in 0..<headDim { out[d] *= alpha } }
                for jj in 0..<n { axpy(scores[jj], v + kRow(b, j0 + jj, kvh), out) }
                l = l * alpha + sum
                m = mNew
                j0 += n
            }
            if l > 0 {
                let inv = 1 / l
                for d in 0..<headDim { out[d] *= inv }
                lse[bh * queries + i] = m + Foundation.log(l)
            } else {
                lse[bh * queries + i] = .infinity  // no visible key: output 0, no gradient
            }
        }
    }

    /// Gradients of q, k, v (overwritten). Two race-free passes: one per query row (dq), one
    /// per key row (dk, dv, summed over the query heads sharing it).
    func backward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                  o: UnsafePointer<Float>, lse: UnsafePointer<Float>, go: UnsafePointer<Float>,
                  gq: UnsafeMutablePointer<Float>, gk: UnsafeMutablePointer<Float>, gv: UnsafeMutablePointer<Float>) {
        // delta_i = <dO_i, O_i>, the softmax-backward row term.
        let deltaT = Tensor(uninitialized: [batch * heads * queries])
        let delta = deltaT.pointer
        Parallel.forChunks(batch * heads * queries, grain: 256) { r in
            for bhi in r {
                let bh = bhi / queries, i = bhi % queries
                let at = qRow(bh / heads, i, bh % heads)
                delta[bhi] = dot(go + at, o + at)
            }
        }
        forEachRowBalanced(queries, headsTotal: batch * heads) { bh, i in
            let b = bh / heads, h = bh % heads, kvh = h / group
            let at = qRow(b, i, h)
            let qp = q + at, gop = go + at, gqp = gq + at
            gqp.update(repeating: 0, count: headDim)
            let rowLse = lse[bh * queries + i], rowDelta = delta[bh * queries + i]
            let (lo, hi) = keyRange(batch: b, query: i)
            if lo > hi { return }
            for j in lo...hi {
                let kp = k + kRow(b, j, kvh)
                let p = Foundation.exp(scale * dot(qp, kp) - rowLse)
                let ds = p * (dot(gop, v + kRow(b, j, kvh)) - rowDelta)
                axpy(scale * ds, kp, gqp)
            }
        }
        forEachRowBalanced(keys, headsTotal: batch * kvHeads) { bkv, j in
            let b = bkv / kvHeads, kvh = bkv % kvHeads
            let kp = k + kRow(b, j, kvh), vp = v + kRow(b, j, kvh)
            let gkp = gk + kRow(b, j, kvh), gvp = gv + kRow(b, j, kvh)
            gkp.update(repeating: 0, count: headDim)
            gvp.update(repeating: 0, count: headDim)
            for h in (kvh * group)..<((kvh + 1) * group) {
                let bh = b * heads + h
                for i in 0..<queries {
                    let (lo, hi) = keyRange(batch: b, query: i)
                    if j < lo || j > hi { continue }
                    let at = qRow(b, i, h)
                    let p = Foundation.exp(scale * dot(q + at, kp) - lse[bh * queries + i])
                    axpy(p, go + at, gvp)
                    let ds = p * (dot(go + at, vp) - delta[bh * queries + i])
                    axpy(scale * ds, q + at, gkp)
                }
            }
        }
    }
}
