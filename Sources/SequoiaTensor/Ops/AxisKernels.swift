/// Kernels for ops along one axis, seeing the tensor as [outer, n, inner]. A "lane" is one
/// (outer, inner) position; reductions produce one value per lane. When inner == 1 (the last
/// axis) every lane is a contiguous row and the kernels run SIMD along it; otherwise they run
/// SIMD across a tile of neighbouring lanes, walking down the axis.

/// A tensor's shape seen as [outer, n, inner] around one (normalised) axis.
struct AxisView {
    let outer: Int, n: Int, inner: Int

    init(_ shape: [Int], axis: Int) {
        outer = shape.prefix(axis).reduce(1, *)
        n = shape.isEmpty ? 1 : shape[axis]
        inner = shape.dropFirst(axis + 1).reduce(1, *)
    }

    var lanes: Int { outer * inner }
}

/// The shape left after reducing `axis` (kept as size 1 with `keepDims`).
func reducedShape(_ shape: [Int], axis: Int, keepDims: Bool) -> [Int] {
    guard !shape.isEmpty else { return [] }
    var s = shape
    if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
    return s
}

/// Lanes per tile when inner > 1: a tile's accumulators stay in L1 while the walk down the axis
/// streams whole cache lines.
private let laneTile = 512
/// Elements per parallel task for these memory-bound loops.
private let grainElements = 1 << 15

/// Calls `body(o)` for every row when inner == 1, in parallel when the tensor is big.
@inline(__always)
func forEachRow(_ v: AxisView, _ body: (Int) -> Void) {
    Parallel.forChunks(v.outer, grain: Swift.max(1, grainElements / Swift.max(v.n, 1))) { r in
        for o in r { body(o) }
    }
}

/// Calls `body(laneOffset, width)` over tiles of at most `laneTile` lanes that share one outer
/// index (so lane l of the tile has element k at `(o * n + k) * inner + i0 + l`), in parallel.
@inline(__always)
func forEachLaneTile(_ v: AxisView, _ body: (_ o: Int, _ i0: Int, _ width: Int) -> Void) {
    let tiles = (v.inner + laneTile - 1) / laneTile
    let work = Swift.max(1, v.n * Swift.min(laneTile, v.inner))
    Parallel.forChunks(v.outer * tiles, grain: Swift.max(1, grainElements / work)) { r in
        for u in r {
            let o = u / tiles, i0 = (u % tiles) * laneTile
            body(o, i0, Swift.min(laneTile, v.inner - i0))
        }
    }
}

/// Visits every element as contiguous runs paired with per-lane parameters:
/// `body(elementOffset, count, laneOffset, laneIsScalar)`. With inner == 1 a run is a whole row
/// and one lane value applies to all of it; otherwise a run is one inner row and element j pairs
/// with lane laneOffset + j.
@inline(__always)
func forEachRun(_ v: AxisView, _ body: (Int, Int, Int, Bool) -> Void) {
    if v.inner == 1 {
        forEachRow(v) { o in body(o * v.n, v.n, o, true) }
    } else {
        Parallel.forChunks(v.outer * v.n, grain: Swift.max(1, grainElements / v.inner)) { r in
            for ok in r { body(ok * v.inner, v.inner, (ok / v.n) * v.inner, false) }
        }
    }
}

/// Lane parameters for elements j..<j+width of a run (see `forEachRun`).
@inline(__always)
func vlane(_ p: UnsafePointer<Float>, _ j: Int, _ width: Int, _ scalar: Bool) -> Vec8 {
    scalar ? Vec8(repeating: p[0]) : vload(p + j, width)
}

// MARK: - Contiguous rows

/// Elements per block of the row reductions: SIMD partial sums stay short within a block, and
/// block totals add in Double, so a 10^7-element sum keeps Float accuracy.
private let sumBlock = 512

/// Sum of `n` contiguous floats, times the matching `b` elements when `b` is given.
func rowSum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ n: Int) -> Double {
    var total = 0.0
    var start = 0
    while start < n {
        let len = Swift.min(sumBlock, n - start)
        var acc0 = Vec8(), acc1 = Vec8()
        let pa = a + start
        if let b {
            let pb = b + start
            forEachVector(len) { j, w in
                if j & 8 == 0 { acc0 = acc0.addingProduct(vload(pa + j, w), vload(pb + j, w)) }
                else { acc1 = acc1.addingProduct(vload(pa + j, w), vload(pb + j, w)) }
            }
        } else {
            forEachVector(len) { j, w in
                if j & 8 == 0 { acc0 += vload(pa + j, w) } else { acc1 += vload(pa + j, w) }
            }
        }
        total += Double((acc0 + acc1).sum())
        start += len
    }
    return total
}

/// Sum of e^(x - shift) over `n` contiguous floats.
func rowSumExp(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Double {
    let s = Vec8(repeating: shift)
    var total = 0.0
    var start = 0
    while start < n {
        let len = Swift.min(sumBlock, n - start)
        var acc = Vec8()
        let p = x + start
        forEachVector(len) { j, w in
            // Padding with -inf makes the missing lanes contribute e^-inf = 0.
            acc += vexp(vload(p + j, w, pad: -.infinity) - s)
        }
        total += Double(acc.sum())
        start += len
    }
    return total
}

/// Whether `v` should replace the running maximum `best`: larger, or the first NaN (NaN
/// propagates, as in PyTorch).
@inline(__always)
private func beats(_ v: Vec8, _ best: Vec8) -> SIMDMask<SIMD8<Int32>> {
    (v .> best) .| ((v .!= v) .& (best .== best))
}

@inline(__always)
private func beats(_ v: Float, _ best: Float) -> Bool {
    v > best || (v.isNaN && !best.isNaN)
}

/// Largest of `n` >= 1 contiguous floats and the index of its first occurrence.
func rowArgMax(_ x: UnsafePointer<Float>, _ n: Int) -> (Float, Int) {
    guard n >= 8 else {
        var best = x[0], at = 0
        for k in 1..<n where beats(x[k], best) { best = x[k]; at = k }
        return (best, at)
    }
    // Each lane keeps its own first maximum; lanes are merged preferring the smaller index.
    var best = vload(x, 8)
    var at = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
    var index = at
    var k = 8
    while k + 8 <= n {
        index &+= 8
        let v = vload(x + k, 8)
        let m = beats(v, best)
        best.replace(with: v, where: m)
        at.replace(with: index, where: m)
        k += 8
    }
    var value = best[0], position = Int(at[0])
    for l in 1..<8 {
        let v = best[l], p = Int(at[l])
        if beats(v, value) || (v == value && p < position) { value = v; position = p }
    }
    while k < n {
        if beats(x[k], value) { value = x[k]; position = k }
        k += 1
    }
    return (value, position)
}

// MARK: - Whole-axis reductions

/// out[lane] = scale * sum_k a[o, k, i] (* b[o, k, i] when `b` is given).
func axisSum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>?, _ v: AxisView, scale: Float,
             into out: UnsafeMutablePointer<Float>) {
    if v.inner == 1 {
        forEachRow(v) { o in
            out[o] = Float(rowSum(a + o * v.n, b.map { $0 + o * v.n }, v.n) * Double(scale))
        }
        return
    }
    forEachLaneTile(v) { o, i0, width in
        withUnsafeTemporaryAllocation(of: Float.self, capacity: width) { block in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: width) { total in
                let blk = block.baseAddress!, tot = total.baseAddress!
                tot.initialize(repeating: 0, count: width)
                var k0 = 0
                // Rows add in Float within blocks of 64, blocks add in Double (as rowSum).
                while k0 < v.n {
                    let k1 = Swift.min(v.n, k0 + 64)
                    blk.initialize(repeating: 0, count: width)
                    for k in k0..<k1 {
                        let base = (o * v.n + k) * v.inner + i0
                        let pa = a + base
                        if let b {
                            let pb = b + base
                            for l in 0..<width { blk[l] += pa[l] * pb[l] }
                        } else {
                            for l in 0..<width { blk[l] += pa[l] }
                        }
                    }
                    for l in 0..<width { tot[l] += Double(blk[l]) }
                    k0 = k1
                }
                let dst = out + o * v.inner + i0
                for l in 0..<width { dst[l] = Float(tot[l] * Double(scale)) }
            }
        }
    }
}

/// Per lane: the maximum along the axis and the index of its first occurrence (n >= 1).
func axisArgMax(_ x: UnsafePointer<Float>, _ v: AxisView, values: UnsafeMutablePointer<Float>,
                indices: UnsafeMutablePointer<Int32>) {
    if v.inner == 1 {
        forEachRow(v) { o in
            let (m, k) = rowArgMax(x + o * v.n, v.n)
            values[o] = m
            indices[o] = Int32(k)
        }
        return
    }
    forEachLaneTile(v) { o, i0, width in
        let best = values + o * v.inner + i0, at = indices + o * v.inner + i0
        let first = x + o * v.n * v.inner + i0
        for l in 0..<width { best[l] = first[l]; at[l] = 0 }
        for k in 1..<Swift.max(v.n, 1) {
            let row = x + (o * v.n + k) * v.inner + i0
            for l in 0..<width where beats(row[l], best[l]) {
                best[l] = row[l]
                at[l] = Int32(k)
            }
        }
    }
}

/// Per lane: m = max along the axis and s = sum_k e^(x - m), the two halves of a stable
/// log-sum-exp. An all -inf (or +inf) lane shifts by 0 so the result is -inf (+inf), not NaN.
func axisMaxSumExp(_ x: UnsafePointer<Float>, _ v: AxisView, max m: UnsafeMutablePointer<Float>,
                   sumExp s: UnsafeMutablePointer<Float>) {
    if v.inner == 1 {
        forEachRow(v) { o in
            let row = x + o * v.n
            let top = rowMax(row, v.n)
            let shift = top.isFinite ? top : 0
            m[o] = shift
            s[o] = Float(rowSumExp(row, v.n, shift: shift))
        }
        return
    }
    forEachLaneTile(v) { o, i0, width in
        let mt = m + o * v.inner + i0, st = s + o * v.inner + i0
        for l in 0..<width { mt[l] = -.infinity; st[l] = 0 }
        for k in 0..<v.n {
            let row = x + (o * v.n + k) * v.inner + i0
            for l in 0..<width { mt[l] = Swift.max(mt[l], row[l]) }
        }
        for l in 0..<width where !mt[l].isFinite { mt[l] = 0 }
        for k in 0..<v.n {
            let row = x + (o * v.n + k) * v.inner + i0
            forEachVector(width) { j, w in
                vstore(vload(st + j, w) + vexp(vload(row + j, w) - vload(mt + j, w)), st + j, w)
            }
        }
    }
}

/// Largest of `n` contiguous floats (-inf when empty); NaN is not specially handled, since
/// callers only use it as a shift and a NaN element poisons their sum anyway.
func rowMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var best = Vec8(repeating: -.infinity)
    forEachVector(n) { j, w in best = pointwiseMax(best, vload(x + j, w, pad: -.infinity)) }
    return best.max()
}

// MARK: - Elementwise along the axis

/// out = e^(x - shift[lane]) * scale[lane] (scale 1 when nil).
func axisExpShifted(_ x: UnsafePointer<Float>, _ v: AxisView, shift: UnsafePointer<Float>,
                    scale: UnsafePointer<Float>?, into out: UnsafeMutablePointer<Float>) {
    forEachRun(v) { e, count, lane, scalar in
        let px = x + e, po = out + e, ps = shift + lane
        if let scale {
            let pc = scale + lane
            forEachVector(count) { j, w in
                vstore(vexp(vload(px + j, w) - vlane(ps, j, w, scalar)) * vlane(pc, j, w, scalar), po + j, w)
            }
        } else {
            forEachVector(count) { j, w in
                vstore(vexp(vload(px + j, w) - vlane(ps, j, w, scalar)), po + j, w)
            }
        }
    }
}

/// out = g[lane] * scale, repeated along the axis (the gradient of a sum).
func axisExpand(_ g: UnsafePointer<Float>, _ v: AxisView, scale: Float, into out: UnsafeMutablePointer<Float>) {
    let c = Vec8(repeating: scale)
    forEachRun(v) { e, count, lane, scalar in
        let po = out + e, pg = g + lane
        forEachVector(count) { j, w in vstore(vlane(pg, j, w, scalar) * c, po + j, w) }
    }
}

/// Runs `body` with `count` floats of uninitialised scratch (stack when small).
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    withUnsafeTemporaryAllocation(of: Float.self, capacity: Swift.max(count, 1)) { body($0.baseAddress!) }
}
