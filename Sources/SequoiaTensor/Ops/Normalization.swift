/// LayerNorm and RMSNorm over the last dimension as fused row kernels. RMSNorm is the
/// uncentred case (mean 0, no bias) of the same kernels. Forward saves each row's mean and
/// 1/std; backward produces dx, dweight and dbias in one pass over the rows.

/// LayerNorm over the last dimension (biased variance, as PyTorch).
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    normalize(x, weight: weight, bias: bias, eps: eps, centered: true)
}

/// RMSNorm over the last dimension: w * x / sqrt(mean(x^2) + eps).
public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) -> Tensor {
    normalize(x, weight: weight, bias: nil, eps: eps, centered: false)
}

private func normalize(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float, centered: Bool) -> Tensor {
    precondition(x.rank >= 1, "normalization needs a last dimension, got a scalar")
    let d = x.shape[x.rank - 1]
    if let weight { precondition(weight.shape == [d], "norm weight \(weight.shape) for rows of \(d)") }
    if let bias { precondition(bias.shape == [d], "norm bias \(bias.shape) for rows of \(d)") }
    let rows = d == 0 ? x.shape.dropLast().reduce(1, *) : x.count / d
    let y = Tensor(uninitialized: x.shape)
    let mean = Tensor(uninitialized: [rows]), rstd = Tensor(uninitialized: [rows])
    let w = weight ?? Tensor.ones([d]), b = bias ?? Tensor.zeros([d])
    withExtendedLifetime((w, b)) {
        let px = x.pointer, py = y.pointer, pm = mean.pointer, pr = rstd.pointer, pw = w.pointer, pb = b.pointer
        Parallel.forChunks(rows, grain: max(1, (1 << 14) / max(d, 1))) { r in
            for row in r {
                let xr = px + row * d, yr = py + row * d
                let mu = centered ? Float(rowSum(d, { load8(xr + $0) }, { xr[$0] }) / Double(d)) : 0
                // Two passes: the centred sum of squares does not cancel the way E[x²] - E[x]² does.
                let mu8 = SIMD8<Float>(repeating: mu)
                let ms = rowSum(d, { let t = load8(xr + $0) - mu8; return t * t },
                                { let t = xr[$0] - mu; return t * t }) / Double(d)
                let rs = Float(1 / (ms + Double(eps)).squareRoot())
                pm[row] = mu
                pr[row] = rs
                for j in 0..<d { yr[j] = (xr[j] - mu) * rs * pw[j] + pb[j] }
            }
        }
    }

    let inputs = [x] + [weight, bias].compactMap { $0 }
    return y.recordingGrad(inputs) { g in
        let (dx, dw, db) = normBackward(g, x: x, weight: weight, mean: mean, rstd: rstd, centered: centered,
                                        needX: x.requiresGrad, needWeight: weight?.requiresGrad ?? false,
                                        needBias: bias?.requiresGrad ?? false)
        var grads: [Tensor?] = [dx]
        if weight != nil { grads.append(dw) }
        if bias != nil { grads.append(db) }
        return grads
    }
}

/// With x̂ = (x - mean)·rstd and ĝ = dy·w: dx = rstd·(ĝ - mean(ĝ) - x̂·mean(ĝ·x̂)) (no mean(ĝ)
/// term when uncentred), dweight = Σ_rows dy·x̂, dbias = Σ_rows dy. Threads take blocks of rows
/// and keep their own column sums, reduced at the end.
private func normBackward(_ g: Tensor, x: Tensor, weight: Tensor?, mean: Tensor, rstd: Tensor, centered: Bool,
                          needX: Bool, needWeight: Bool, needBias: Bool) -> (Tensor?, Tensor?, Tensor?) {
    let d = x.shape[x.rank - 1], rows = mean.count
    let dx = needX ? Tensor(uninitialized: x.shape) : nil
    let needColumns = needWeight || needBias
    let chunks = max(1, min(Parallel.threadCount, rows, x.count / (1 << 15)))
    // Per chunk: Double sums of dy·x̂ then of dy, d columns each.
    let partial = UnsafeMutablePointer<Double>.allocate(capacity: needColumns ? chunks * 2 * d : 0)
    defer { partial.deallocate() }
    partial.initialize(repeating: 0, count: needColumns ? chunks * 2 * d : 0)
    let w = weight ?? Tensor.ones([d])
    withExtendedLifetime(w) {
        let px = x.pointer, pg = g.pointer, pm = mean.pointer, pr = rstd.pointer, pw = w.pointer
        let pdx = dx?.pointer
        Parallel.forEach(chunks) { c in
            let lo = rows * c / chunks, hi = rows * (c + 1) / chunks
            // Float sums over a block of rows are flushed into the Double sums, so long
            // columns (batch x sequence rows) keep their precision at Float speed.
            let block = UnsafeMutablePointer<Float>.allocate(capacity: needColumns ? 2 * d : 0)
            defer { block.deallocate() }
            let sums = partial + c * 2 * d
            var start = lo
            while start < hi {
                let end = min(hi, start + 64)
                if needColumns { block.initialize(repeating: 0, count: 2 * d) }
                for row in start..<end {
                    let xr = px + row * d, gr = pg + row * d, mu = pm[row], rs = pr[row]
                    if let pdx {
                        let dxr = pdx + row * d, mu8 = SIMD8<Float>(repeating: mu)
                        let meanG = centered
                            ? Float(rowSum(d, { load8(gr + $0) * load8(pw + $0) }, { gr[$0] * pw[$0] }) / Double(d))
                            : 0
                        let meanGX = rs * Float(rowSum(d, { load8(gr + $0) * load8(pw + $0) * (load8(xr + $0) - mu8) },
                                                       { gr[$0] * pw[$0] * (xr[$0] - mu) }) / Double(d))
                        for j in 0..<d {
                            let xhat = (xr[j] - mu) * rs
                            dxr[j] = rs * (gr[j] * pw[j] - meanG - xhat * meanGX)
                        }
                    }
                    if needWeight { for j in 0..<d { block[j] += gr[j] * ((xr[j] - mu) * rs) } }
                    if needBias { for j in 0..<d { block[d + j] += gr[j] } }
                }
                if needColumns { for j in 0..<2 * d { sums[j] += Double(block[j]) } }
                start = end
            }
        }
    }

    func reduce(_ offset: Int) -> Tensor {
        let out = Tensor(uninitialized: [d])
        for j in 0..<d {
            var s = 0.0
            for c in 0..<chunks { s += partial[c * 2 * d + offset + j] }
            out.pointer[j] = Float(s)
        }
        return out
    }
    return (dx, needWeight ? reduce(0) : nil, needBias ? reduce(d) : nil)
}

@inline(__always)
private func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Σ over 0..<n of a row term, eight lanes at a time, accumulated in Double (rows run
/// thousands wide).
@inline(__always)
private func rowSum(_ n: Int, _ vector: (Int) -> SIMD8<Float>, _ scalar: (Int) -> Float) -> Double {
    var acc = SIMD8<Double>()
    var i = 0
    while i + 8 <= n {
        acc += SIMD8<Double>(vector(i))
        i += 8
    }
    var total = acc.sum()
    while i < n {
        total += Double(scalar(i))
        i += 1
    }
    return total
}
