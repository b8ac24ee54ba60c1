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

/// Elements per parallel task for these memory-bound loops.
private let grainElements = 1 << 15

/// Calls `body(o)` for every row when inner == 1, in parallel when the tensor is big.
@inline(__always)
func forEachRow(_ v: AxisView, _ body: (Int) -> Void) {
    Parallel.forChunks(v.outer, grain: Swift.max(1, grainElements / Swift.max(v.n, 1))) { r in
        for o in r { body(o) }
    }
}

/// Calls `body(o, i0, width)` over tiles of lanes that share one outer index (lane l of the
/// tile has element k at `(o * n + k) * inner + i0 + l`), in parallel. Tiles are as wide as
/// possible (up to 4096 lanes, whose accumulators still fit in L1) so each walk down the axis
/// streams long contiguous stretches of every row; narrower only to give every thread work.
@inline(__always)
func forEachLaneTile(_ v: AxisView, _ body: (_ o: Int, _ i0: Int, _ width: Int) -> Void) {
    guard v.lanes > 0 else { return }
    let forThreads = (Parallel.threadCount + v.outer - 1) / v.outer
    let split = Swift.min(Swift.max((v.inner + 4095) / 4096, forThreads), Swift.max(1, v.inner / 64))
    let width = ((v.inner + split - 1) / split + 7) / 8 * 8
    let tiles = (v.inner + width - 1) / width
    Parallel.forChunks(v.outer * tiles, grain: Swift.max(1, grainElements / Swift.max(1, v.n * width))) { r in
        for u in r {
            let o = u / tiles, i0 = (u % tiles) * width
            body(o, i0, Swift.min(width, v.inner - i0))
        }
    }
}

/// How a run reads its per-lane values: one value shared by the whole run (inner == 1, a run is
/// a row) or one per element (inner > 1, a run is an inner row lying along the lanes).
protocol LaneAccess {
    static func load(_ p: UnsafePointer<Float>, _ j: Int, _ width: Int) -> FloatVector
}

enum SharedLane: LaneAccess {
    @_transparent
    static func load(_ p: UnsafePointer<Float>, _ j: Int, _ width: Int) -> FloatVector { FloatVector(repeating: p[0]) }
}

enum LanePerElement: LaneAccess {
    @_transparent
    static func load(_ p: UnsafePointer<Float>, _ j: Int, _ width: Int) -> FloatVector { VectorMath.load(p + j, width) }
}

/// An elementwise op along an axis that also reads per-lane values (a reduction's result).
/// Generic over `LaneAccess` so each case compiles to its own straight SIMD loop.
protocol AlongAxisKernel {
    /// Elements [e, e + count), whose lane values start at `lane`.
    func run<L: LaneAccess>(_: L.Type, _ e: Int, _ count: Int, _ lane: Int)
}

/// Runs `kernel` over every element, in parallel when the tensor is big.
func forEachRun<K: AlongAxisKernel>(_ v: AxisView, _ kernel: K) {
    if v.inner == 1 {
        forEachRow(v) { o in kernel.run(SharedLane.self, o * v.n, v.n, o) }
    } else if v.inner > 0 {
        Parallel.forChunks(v.outer * v.n, grain: Swift.max(1, grainElements / v.inner)) { r in
            for ok in r { kernel.run(LanePerElement.self, ok * v.inner, v.inner, (ok / v.n) * v.inner) }
        }
    }
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
        var acc = FloatVector()
        let pa = a + start
        if let b {
            let pb = b + start
            for j in stride(from: 0, to: len, by: 8) {
                let w = Swift.min(8, len - j)
                acc = acc.addingProduct(VectorMath.load(pa + j, w), VectorMath.load(pb + j, w))
            }
        } else {
            for j in stride(from: 0, to: len, by: 8) { acc += VectorMath.load(pa + j, Swift.min(8, len - j)) }
        }
        total += Double(acc.sum())
        start += len
    }
    return total
}

/// Sum of e^(x - shift) over `n` contiguous floats.
func rowSumExp(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Double {
    let s = FloatVector(repeating: shift)
    var total = 0.0
    var start = 0
    while start < n {
        let len = Swift.min(sumBlock, n - start)
        var acc = FloatVector()
        let p = x + start
        for j in stride(from: 0, to: len, by: 8) {
            let w = Swift.min(8, len - j)
            // Padding with -inf makes the missing lanes contribute e^-inf = 0.
            acc += VectorMath.exp(VectorMath.load(p + j, w, pad: -.infinity) - s)
        }
        total += Double(acc.sum())
        start += len
    }
    return total
}

/// Whether `v` should replace the running maximum `best`: larger, or the first NaN (NaN
/// propagates, as in PyTorch).
@inline(__always)
private func beats(_ v: FloatVector, _ best: FloatVector) -> SIMDMask<SIMD8<Int32>> {
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
    var best = VectorMath.load(x, 8)
    var at = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
    var index = at
    var k = 8
    while k + 8 <= n {
        index &+= 8
        let v = VectorMath.load(x + k, 8)
        let m = beats(v, best)
        best.replace(with: v, where: m)
        at.replace(with: index, where: m)
        k += 8
    }
    var value = best[0], position = Int(at[0])
    for l in 1..<8 {
        let v = best[l], p = Int(at[l])
        let tie = v == value || (v.isNaN && value.isNaN)
        if beats(v, value) || (tie && p < position) { value = v; position = p }
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
        let vectors = (width + 7) / 8
        // Rows add in Float within blocks of 64, blocks add in Double (as rowSum).
        let blk = UnsafeMutablePointer<FloatVector>.allocate(capacity: vectors)
        let tot = UnsafeMutablePointer<Double>.allocate(capacity: width)
        defer { blk.deallocate(); tot.deallocate() }
        tot.initialize(repeating: 0, count: width)
        var k0 = 0
        while k0 < v.n {
            let k1 = Swift.min(v.n, k0 + 64)
            blk.initialize(repeating: FloatVector(), count: vectors)
            for k in k0..<k1 {
                let base = (o * v.n + k) * v.inner + i0
                let pa = a + base
                if let b {
                    let pb = b + base
                    for q in 0..<vectors {
                        let w = Swift.min(8, width - 8 * q)
                        blk[q] = blk[q].addingProduct(VectorMath.load(pa + 8 * q, w), VectorMath.load(pb + 8 * q, w))
                    }
                } else {
                    for q in 0..<vectors { blk[q] += VectorMath.load(pa + 8 * q, Swift.min(8, width - 8 * q)) }
                }
            }
            let flat = UnsafeRawPointer(blk).assumingMemoryBound(to: Float.self)
            for l in 0..<width { tot[l] += Double(flat[l]) }
            k0 = k1
        }
        let dst = out + o * v.inner + i0
        for l in 0..<width { dst[l] = Float(tot[l] * Double(scale)) }
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
        let vectors = (width + 7) / 8
        let best = UnsafeMutablePointer<FloatVector>.allocate(capacity: vectors)
        let at = UnsafeMutablePointer<SIMD8<Int32>>.allocate(capacity: vectors)
        defer { best.deallocate(); at.deallocate() }
        let first = x + o * v.n * v.inner + i0
        for q in 0..<vectors {
            best[q] = VectorMath.load(first + 8 * q, Swift.min(8, width - 8 * q))
            at[q] = SIMD8<Int32>()
        }
        for k in 1..<Swift.max(v.n, 1) {
            let row = x + (o * v.n + k) * v.inner + i0
            let index = SIMD8<Int32>(repeating: Int32(k))
            for q in 0..<vectors {
                let r = VectorMath.load(row + 8 * q, Swift.min(8, width - 8 * q))
                let m = beats(r, best[q])
                best[q].replace(with: r, where: m)
                at[q].replace(with: index, where: m)
            }
        }
        let bestFlat = UnsafeRawPointer(best).assumingMemoryBound(to: Float.self)
        let atFlat = UnsafeRawPointer(at).assumingMemoryBound(to: Int32.self)
        (values + o * v.inner + i0).update(from: bestFlat, count: width)
        (indices + o * v.inner + i0).update(from: atFlat, count: width)
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
            for j in stride(from: 0, to: width, by: 8) {
                let w = Swift.min(8, width - j)
                var top = VectorMath.load(mt + j, w)
                let r = VectorMath.load(row + j, w)
                top.replace(with: r, where: r .> top)
                VectorMath.store(top, mt + j, w)
            }
        }
        for l in 0..<width where !mt[l].isFinite { mt[l] = 0 }
        for k in 0..<v.n {
            let row = x + (o * v.n + k) * v.inner + i0
            for j in stride(from: 0, to: width, by: 8) {
                let w = Swift.min(8, width - j)
                VectorMath.store(VectorMath.load(st + j, w) + VectorMath.exp(VectorMath.load(row + j, w) - VectorMath.load(mt + j, w)), st + j, w)
            }
        }
    }
}

/// Largest of `n` contiguous floats (-inf when empty); NaN is not specially handled, since
/// callers only use it as a shift and a NaN element poisons their sum anyway.
func rowMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var best = FloatVector(repeating: -.infinity)
    for j in stride(from: 0, to: n, by: 8) {
        let w = Swift.min(8, n - j)
        let v = VectorMath.load(x + j, w, pad: -.infinity)
        best.replace(with: v, where: v .> best)
    }
    return VectorMath.hmax(best)
}

// MARK: - Elementwise along the axis

/// out = e^(x - shift[lane]) * scale[lane].
struct ExpShiftedKernel: AlongAxisKernel {
    let x: UnsafePointer<Float>, shift: UnsafePointer<Float>, scale: UnsafePointer<Float>
    let out: UnsafeMutablePointer<Float>

    func run<L: LaneAccess>(_: L.Type, _ e: Int, _ count: Int, _ lane: Int) {
        let px = x + e, po = out + e, ps = shift + lane, pc = scale + lane
        for j in stride(from: 0, to: count, by: 8) {
            let w = Swift.min(8, count - j)
            VectorMath.store(VectorMath.exp(VectorMath.load(px + j, w) - L.load(ps, j, w)) * L.load(pc, j, w), po + j, w)
        }
    }
}

/// out = g[lane] * scale, repeated along the axis (the gradient of a sum).
struct ExpandKernel: AlongAxisKernel {
    let g: UnsafePointer<Float>, scale: Float, out: UnsafeMutablePointer<Float>

    func run<L: LaneAccess>(_: L.Type, _ e: Int, _ count: Int, _ lane: Int) {
        let po = out + e, pg = g + lane, c = FloatVector(repeating: scale)
        for j in stride(from: 0, to: count, by: 8) {
            let w = Swift.min(8, count - j)
            VectorMath.store(L.load(pg, j, w) * c, po + j, w)
        }
    }
}

/// Runs `body` with `count` floats of uninitialised scratch. Heap, not
/// withUnsafeTemporaryAllocation: worker threads read it, and stack buffers shared with (or
/// made inside) Dispatch closures crashed in optimised builds.
@inline(__always)
func withScratch<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
    let p = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
    defer { p.deallocate() }
    return body(p)
}
