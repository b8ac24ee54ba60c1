/// Causal depthwise convolution over time (Mamba's conv1d, Hyena's short filter). Channels are
/// last, so every tap is a SIMD multiply-add over a contiguous row of C channels.

/// dst[i] += a[i] * b[i] for i < n.
@inline(__always)
private func multiplyAdd(_ dst: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    while i + 8 <= n {
        let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
        let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
        let vd = UnsafeRawPointer(dst + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(dst + i).storeBytes(of: vd.addingProduct(va, vb), as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        dst[i] += a[i] * b[i]
        i += 1
    }
}

/// Causal depthwise conv over time, channels last: x [B, L, C], weight [C, K], bias [C].
/// out[b, t, c] = bias[c] + sum_k weight[c, k] * x[b, t - (K-1) + k, c] (zeros before t = 0).
public func causalDepthwiseConv1d(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(x.rank == 3 && weight.rank == 2 && weight.shape[0] == x.shape[2] && weight.shape[1] >= 1,
                 "causalDepthwiseConv1d needs x [B, L, C] and weight [C, K], got \(x.shape) and \(weight.shape)")
    let length = x.shape[1], channels = x.shape[2], taps = weight.shape[1]
    if let bias { precondition(bias.shape == [channels], "bias \(bias.shape) for \(channels) channels") }
    let rows = x.shape[0] * length
    let grain = max(1, (1 << 15) / max(1, channels * taps))
    // Taps transposed to [K, C] so each one is a contiguous channel row.
    let tapRows = Tensor(uninitialized: [taps, channels])
    let pw = weight.pointer, pt = tapRows.pointer
    for c in 0..<channels {
        for k in 0..<taps { pt[k * channels + c] = pw[c * taps + k] }
    }

    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, po = out.pointer, pb = bias?.pointer
    Parallel.forChunks(rows, grain: grain) { r in
        for row in r {
            let t = row % length
            let o = po + row * channels
            if let pb { o.update(from: pb, count: channels) } else { o.update(repeating: 0, count: channels) }
            for k in Swift.max(0, taps - 1 - t)..<taps {
                multiplyAdd(o, pt + k * channels, px + (row - (taps - 1) + k) * channels, channels)
            }
        }
    }

    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return out.recordingGrad(inputs) { g in
        let dx = x.requiresGrad ? Tensor.zeros(x.shape) : nil
        let needParams = weight.requiresGrad || (bias?.requiresGrad ?? false)
        // Each chunk sums its rows' weight and bias gradients into its own [K + 1, C] partial
        // (taps then bias); the partials are added up afterwards.
        let chunks = Swift.max(1, Swift.min(Parallel.threadCount, rows / grain))
        let partials = needParams ? Tensor.zeros([chunks, taps + 1, channels]) : nil
        let pg = g.pointer, pt = tapRows.pointer
        Parallel.forEach(chunks) { p in
            let dw = partials.map { $0.pointer + p * (taps + 1) * channels }
            for row in (rows * p / chunks)..<(rows * (p + 1) / chunks) {
                let t = row % length
                let gRow = pg + row * channels
                if let dx {
                    // dx[s] = sum_k w[k] g[s + K-1 - k], for outputs that exist (s + K-1 - k < L).
                    let d = dx.pointer + row * channels
                    for k in Swift.max(0, t + taps - length)..<taps {
                        multiplyAdd(d, pt + k * channels, pg + (row + taps - 1 - k) * channels, channels)
                    }
                }
                if let dw {
                    for k in Swift.max(0, taps - 1 - t)..<taps {
                        multiplyAdd(dw + k * channels, gRow, px + (row - (taps - 1) + k) * channels, channels)
                    }
                    let db = dw + taps * channels
                    for c in 0..<channels { db[c] += gRow[c] }
                }
            }
        }
        var dWeight: Tensor?, dBias: Tensor?
        if let partials {
            let pp = partials.pointer
            for p in 1..<chunks {
                let src = pp + p * (taps + 1) * channels
                for i in 0..<((taps + 1) * channels) { pp[i] += src[i] }
            }
            if weight.requiresGrad {
                let dw = Tensor(uninitialized: weight.shape)
                for c in 0..<channels {
                    for k in 0..<taps { dw.pointer[c * taps + k] = pp[k * channels + c] }
                }
                dWeight = dw
            }
            if let bias, bias.requiresGrad {
                let db = Tensor(uninitialized: bias.shape)
                db.pointer.update(from: pp + taps * channels, count: channels)
                dBias = db
            }
        }
        return bias == nil ? [dx, dWeight] : [dx, dWeight, dBias]
    }
}
