import Foundation

/// Memory-linear attention (FlashAttention's online softmax on the CPU). Queries go in tiles
/// of four rows, keys in blocks of 64: a tile's scores for a block come from an outer-product
/// micro-kernel (SIMD across keys, keys stored transposed), then the running max, normaliser
/// and output rows are updated. The L x L score matrix never exists; backward recomputes the
/// scores from the saved log-sum-exp in one pass that yields dq, dk and dv together.
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

    static let tile = 4
    static let block = 64
    /// Queries sit at the end of the key sequence (decoding with a cache): query i is at
    /// absolute position i + offset.
    var offset: Int { keys - queries }
    var group: Int { heads / kvHeads }
    var tiles: Int { (queries + Self.tile - 1) / Self.tile }

    /// Keys query i may attend to, as a closed range (empty when lower > upper).
    @inline(__always)
    func keyRange(batch b: Int, query i: Int) -> (lo: Int, hi: Int) {
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

    /// Keys any row of the tile starting at query i0 may attend to.
    @inline(__always)
    func tileRange(batch b: Int, tileStart i0: Int) -> (lo: Int, hi: Int) {
        let last = min(i0 + Self.tile, queries) - 1
        let first = keyRange(batch: b, query: i0), final = keyRange(batch: b, query: last)
        return (min(first.lo, final.lo), max(first.hi, final.hi))
    }

    @inline(__always) func qRow(_ b: Int, _ i: Int, _ h: Int) -> Int { ((b * queries + i) * heads + h) * headDim }
    @inline(__always) func kRow(_ b: Int, _ j: Int, _ h: Int) -> Int { ((b * keys + j) * kvHeads + h) * headDim }
    /// Offset of (b, kv head) in a transposed [B, KV, hd, Lk] copy.
    @inline(__always) func transposedHead(_ b: Int, _ h: Int) -> Int { (b * kvHeads + h) * headDim * keys }

    /// [B, Lk, KV, hd] -> [B, KV, hd, Lk], so the score micro-kernel loads keys 8 at a time.
    func transposed(_ x: UnsafePointer<Float>) -> Tensor {
        let t = Tensor(uninitialized: [batch * kvHeads * headDim * keys])
        let out = t.pointer
        Parallel.forEach(batch * kvHeads) { bh in
            let b = bh / kvHeads, h = bh % kvHeads, dst = out + transposedHead(b, h)
            for j in 0..<keys {
                let src = x + kRow(b, j, h)
                for d in 0..<headDim { dst[d * keys + j] = src[d] }
            }
        }
        return t
    }

    /// out[r * block + jj] = scale * <row r, key j0 + jj> for the four rows at `rows`
    /// (stride `rowStride`; rows past `count` repeat the last one) and jj < n.
    @inline(__always)
    func tileScores(_ rows: UnsafePointer<Float>, rowStride: Int, count: Int, transposedKeys kt: UnsafePointer<Float>,
                    j0: Int, n: Int, scale: Float, into out: UnsafeMutablePointer<Float>) {
        let q0 = rows, q1 = rows + min(1, count - 1) * rowStride
        let q2 = rows + min(2, count - 1) * rowStride, q3 = rows + min(3, count - 1) * rowStride
        for jb in stride(from: 0, to: n, by: 8) {
            let w = min(8, n - jb)
            var a0 = FloatVector(), a1 = FloatVector(), a2 = FloatVector(), a3 = FloatVector()
            var kp = kt + j0 + jb
            for d in 0..<headDim {
                let kv = VectorMath.load(kp, w)
                a0 = a0.addingProduct(q0[d], kv)
                a1 = a1.addingProduct(q1[d], kv)
                a2 = a2.addingProduct(q2[d], kv)
                a3 = a3.addingProduct(q3[d], kv)
                kp += keys
            }
            VectorMath.store(a0 * scale, out + jb, 8)
            VectorMath.store(a1 * scale, out + Self.block + jb, 8)
            VectorMath.store(a2 * scale, out + 2 * Self.block + jb, 8)
            VectorMath.store(a3 * scale, out + 3 * Self.block + jb, 8)
        }
    }

    /// acc rows (count of them, stride `accStride`) += sum_jj coef[r * block + jj] * source row (j0 + jj).
    @inline(__always)
    func accumulateRows(_ coef: UnsafePointer<Float>, n: Int, source: UnsafePointer<Float>, sourceStride: Int,
                        into acc: UnsafeMutablePointer<Float>, accStride: Int, count: Int) {
        for dc in stride(from: 0, to: headDim, by: 8) {
            let w = min(8, headDim - dc)
            var o0 = VectorMath.load(acc + dc, w)
            var o1 = count > 1 ? VectorMath.load(acc + accStride + dc, w) : FloatVector()
            var o2 = count > 2 ? VectorMath.load(acc + 2 * accStride + dc, w) : FloatVector()
            var o3 = count > 3 ? VectorMath.load(acc + 3 * accStride + dc, w) : FloatVector()
            var src = source + dc
            for jj in 0..<n {
                let v = VectorMath.load(src, w)
                o0 = o0.addingProduct(coef[jj], v)
                o1 = o1.addingProduct(coef[Self.block + jj], v)
                o2 = o2.addingProduct(coef[2 * Self.block + jj], v)
                o3 = o3.addingProduct(coef[3 * Self.block + jj], v)
                src += sourceStride
            }
            VectorMath.store(o0, acc + dc, w)
            if count > 1 { VectorMath.store(o1, acc + accStride + dc, w) }
            if count > 2 { VectorMath.store(o2, acc + 2 * accStride + dc, w) }
            if count > 3 { VectorMath.store(o3, acc + 3 * accStride + dc, w) }
        }
    }

    /// target row (j0 + jj) += sum_r coef[r * block + jj] * row r, for jj < n: the transpose of
    /// `accumulateRows`, used for dk and dv.
    @inline(__always)
    func scatterRows(_ coef: UnsafePointer<Float>, n: Int, rows: UnsafePointer<Float>, rowStride: Int, count: Int,
                     into target: UnsafeMutablePointer<Float>, targetStride: Int) {
        for dc in stride(from: 0, to: headDim, by: 8) {
            let w = min(8, headDim - dc)
            let r0 = VectorMath.load(rows + dc, w)
            let r1 = count > 1 ? VectorMath.load(rows + rowStride + dc, w) : FloatVector()
            let r2 = count > 2 ? VectorMath.load(rows + 2 * rowStride + dc, w) : FloatVector()
            let r3 = count > 3 ? VectorMath.load(rows + 3 * rowStride + dc, w) : FloatVector()
            var t = target + dc
            for jj in 0..<n {
                var acc = VectorMath.load(t, w).addingProduct(coef[jj], r0)
                acc = acc.addingProduct(coef[Self.block + jj], r1)
                acc = acc.addingProduct(coef[2 * Self.block + jj], r2)
                acc = acc.addingProduct(coef[3 * Self.block + jj], r3)
                VectorMath.store(acc, t, w)
                t += targetStride
            }
        }
    }

    /// Sets scores outside each row's visible keys to -inf.
    @inline(__always)
    func mask(_ s: UnsafeMutablePointer<Float>, batch b: Int, tileStart i0: Int, count: Int, j0: Int, n: Int) {
        for r in 0..<count {
            let (lo, hi) = keyRange(batch: b, query: i0 + r)
            let row = s + r * Self.block
            if lo > j0 { for jj in 0..<min(n, lo - j0) { row[jj] = -.infinity } }
            if hi < j0 + n - 1 { for jj in max(0, hi - j0 + 1)..<n { row[jj] = -.infinity } }
        }
    }

    /// Tiles are visited in pairs (t, T-1-t) so causal work splits evenly between threads.
    @inline(__always)
    func forEachTileBalanced(_ body: (_ bh: Int, _ tile: Int) -> Void) {
        let pairs = (tiles + 1) / 2
        Parallel.forChunks(batch * heads * pairs, grain: 1) { range in
            for item in range {
                let bh = item / pairs, p = item % pairs
                body(bh, p)
                if tiles - 1 - p != p { body(bh, tiles - 1 - p) }
            }
        }
    }

    /// o [B, Lq, H, hd] and lse [B, H, Lq].
    func forward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                 o: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>) {
        let ktT = transposed(k)
        let kt = ktT.pointer
        let rowStride = heads * headDim, kvStride = kvHeads * headDim
        forEachTileBalanced { bh, t in
            let b = bh / heads, h = bh % heads, kvh = h / group
            let i0 = t * Self.tile, count = min(Self.tile, queries - i0)
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: Self.tile * (Self.block + 2))
            defer { scratch.deallocate() }
            let s = scratch, m = scratch + Self.tile * Self.block, l = m + Self.tile
            for r in 0..<Self.tile { m[r] = -.infinity; l[r] = 0 }
            let out = o + qRow(b, i0, h)
            for r in 0..<count { (out + r * rowStride).update(repeating: 0, count: headDim) }
            let (lo, hi) = tileRange(batch: b, tileStart: i0)
            var j0 = lo
            while j0 <= hi {
                let n = min(Self.block, hi - j0 + 1)
                tileScores(q + qRow(b, i0, h), rowStride: rowStride, count: count,
                           transposedKeys: kt + transposedHead(b, kvh), j0: j0, n: n, scale: scale, into: s)
                mask(s, batch: b, tileStart: i0, count: count, j0: j0, n: n)
                for r in 0..<count {
                    let row = s + r * Self.block
                    var top = -Float.infinity
                    for jj in 0..<n { top = max(top, row[jj]) }
                    let mNew = max(m[r], top)
                    if mNew == -.infinity {
                        row.update(repeating: 0, count: n)
                        continue
                    }
                    let alpha = m[r] == -.infinity ? 0 : Foundation.exp(m[r] - mNew)
                    var sum: Float = 0
                    var jj = 0
                    while jj < n {
                        let w = min(8, n - jj)
                        let p = VectorMath.exp(VectorMath.load(row + jj, w, pad: -.infinity) - mNew)
                        VectorMath.store(p, row + jj, w)
                        sum += p.sum()
                        jj += 8
                    }
                    if alpha != 1 {
                        let orow = out + r * rowStride
                        for d in 0..<headDim { orow[d] *= alpha }
                    }
                    l[r] = l[r] * alpha + sum
                    m[r] = mNew
                }
                accumulateRows(s, n: n, source: v + kRow(b, j0, kvh), sourceStride: kvStride,
                               into: out, accStride: rowStride, count: count)
                j0 += n
            }
            for r in 0..<count {
                let orow = out + r * rowStride
                if l[r] > 0 {
                    let inv = 1 / l[r]
                    for d in 0..<headDim { orow[d] *= inv }
                    lse[bh * queries + i0 + r] = m[r] + Foundation.log(l[r])
                } else {
                    lse[bh * queries + i0 + r] = .infinity  // no visible key: output 0, no gradient
                }
            }
        }
        withExtendedLifetime(ktT) {}
    }

    /// Gradients of q, k, v (overwritten), in one pass over (query tile, key block) pairs.
    /// Work items are (batch, kv head, key chunk): each owns its keys' dk and dv outright and
    /// adds dq into a partial per key chunk, so nothing is written by two threads.
    func backward(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                  o: UnsafePointer<Float>, lse: UnsafePointer<Float>, go: UnsafePointer<Float>,
                  gq: UnsafeMutablePointer<Float>, gk: UnsafeMutablePointer<Float>, gv: UnsafeMutablePointer<Float>) {
        let rowStride = heads * headDim, kvStride = kvHeads * headDim
        // delta_i = <dO_i, O_i>, the softmax-backward row term.
        let deltaT = Tensor(uninitialized: [batch * heads * queries])
        let delta = deltaT.pointer
        Parallel.forChunks(batch * heads * queries, grain: 256) { r in
            for bhi in r {
                let bh = bhi / queries, i = bhi % queries
                let at = qRow(bh / heads, i, bh % heads)
                var s: Float = 0
                for d in 0..<headDim { s += go[at + d] * o[at + d] }
                delta[bhi] = s
            }
        }
        let ktT = transposed(k), vtT = transposed(v)
        let kt = ktT.pointer, vt = vtT.pointer
        let blocks = (keys + Self.block - 1) / Self.block
        let chunks = max(1, min(blocks, (2 * Parallel.threadCount + batch * kvHeads - 1) / (batch * kvHeads)))
        let qCount = batch * queries * heads * headDim
        let partials = chunks > 1 ? Tensor.zeros([chunks * qCount]) : nil
        if partials == nil { gq.update(repeating: 0, count: qCount) }
        gk.update(repeating: 0, count: batch * keys * kvStride)
        gv.update(repeating: 0, count: batch * keys * kvStride)

        // Key chunks go in pairs (c, chunks-1-c): under a causal mask early keys see more queries.
        let pairs = (chunks + 1) / 2
        Parallel.forEach(batch * kvHeads * pairs) { item in
            let bkv = item / pairs, pair = item % pairs
            for c in pair == chunks - 1 - pair ? [pair] : [pair, chunks - 1 - pair] {
                let b = bkv / kvHeads, kvh = bkv % kvHeads
                let cLo = c * blocks / chunks * Self.block, cHi = min(keys, (c + 1) * blocks / chunks * Self.block) - 1
                let dq = partials.map { $0.pointer + c * qCount } ?? gq
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * Self.tile * Self.block)
                defer { scratch.deallocate() }
                let p = scratch, dp = scratch + Self.tile * Self.block
                for h in (kvh * group)..<((kvh + 1) * group) {
                    let bh = b * heads + h
                    for t in 0..<tiles {
                        let i0 = t * Self.tile, count = min(Self.tile, queries - i0)
                        let range = tileRange(batch: b, tileStart: i0)
                        let lo = max(range.lo, cLo), hi = min(range.hi, cHi)
                        if lo > hi { continue }
                        let qTile = q + qRow(b, i0, h), goTile = go + qRow(b, i0, h)
                        var j0 = lo
                        while j0 <= hi {
                            let n = min(Self.block, hi - j0 + 1)
                            tileScores(qTile, rowStride: rowStride, count: count, transposedKeys: kt + transposedHead(b, kvh),
                                       j0: j0, n: n, scale: scale, into: p)
                            mask(p, batch: b, tileStart: i0, count: count, j0: j0, n: n)
                            tileScores(goTile, rowStride: rowStride, count: count, transposedKeys: vt + transposedHead(b, kvh),
                                       j0: j0, n: n, scale: 1, into: dp)
                            for r in 0..<Self.tile {
                                let pr = p + r * Self.block, dpr = dp + r * Self.block
                                if r >= count {
                                    pr.update(repeating: 0, count: n)
                                    dpr.update(repeating: 0, count: n)
                                    continue
                                }
                                let rowLse = lse[bh * queries + i0 + r], rowDelta = delta[bh * queries + i0 + r]
                                var jj = 0
                                while jj < n {
                                    let w = min(8, n - jj)
                                    let pv = VectorMath.exp(VectorMath.load(pr + jj, w, pad: -.infinity) - rowLse)
                                    VectorMath.store(pv, pr + jj, w)
                                    // dS = P (dP - delta), pre-scaled by the score scale.
                                    VectorMath.store(pv * (VectorMath.load(dpr + jj, w) - rowDelta) * scale, dpr + jj, w)
                                    jj += 8
                                }
                            }
                            let keyAt = kRow(b, j0, kvh)
                            scatterRows(p, n: n, rows: goTile, rowStride: rowStride, count: count,
                                        into: gv + keyAt, targetStride: kvStride)
                            scatterRows(dp, n: n, rows: qTile, rowStride: rowStride, count: count,
                                        into: gk + keyAt, targetStride: kvStride)
                            accumulateRows(dp, n: n, source: k + keyAt, sourceStride: kvStride,
                                           into: dq + qRow(b, i0, h), accStride: rowStride, count: count)
                            j0 += n
                        }
                    }
                }
            }
        }
        if let partials {
            let base = partials.pointer
            Parallel.forChunks(qCount, grain: 1 << 14) { r in
                for i in r {
                    var s: Float = 0
                    for c in 0..<chunks { s += base[c * qCount + i] }
                    gq[i] = s
                }
            }
        }
        withExtendedLifetime((deltaT, ktT, vtT)) {}
    }
}
