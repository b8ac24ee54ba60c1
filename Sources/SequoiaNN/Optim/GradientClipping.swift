import SequoiaTensor

/// Global L2 norm of all gradients (summed in Double); when it exceeds `maxNorm` every gradient
/// is scaled in place by maxNorm / (norm + 1e-6), as torch.nn.utils.clip_grad_norm_.
/// Returns the norm before clipping. A non-finite norm (inf/NaN gradients) is returned
/// without touching the gradients, so the caller can skip the step.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
    let grads = parameters.compactMap(\.grad)
    var sumSquares = 0.0
    for g in grads { sumSquares += sumOfSquares(g.pointer, count: g.count) }
    let norm = sumSquares.squareRoot()
    guard norm.isFinite, norm > maxNorm else { return norm }
    let scale = Float(maxNorm / (norm + 1e-6))
    for g in grads {
        let p = g.pointer
        Parallel.forChunks(g.count, grain: 1 << 15) { r in
            for i in r { p[i] *= scale }
        }
    }
    return norm
}

/// Sum of x^2 in Double, split across threads in fixed chunks (deterministic for a given thread count).
private func sumOfSquares(_ x: UnsafeMutablePointer<Float>, count: Int) -> Double {
    let chunks = max(1, min(Parallel.threadCount, count / (1 << 15)))
    let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
    defer { partial.deallocate() }
    Parallel.forEach(chunks) { c in
        let lo = count * c / chunks, hi = count * (c + 1) / chunks
        var acc = SIMD4<Double>()
        var i = lo
        while i + 4 <= hi {
            let v = SIMD4<Double>(Double(x[i]), Double(x[i + 1]), Double(x[i + 2]), Double(x[i + 3]))
            acc += v * v
            i += 4
        }
        var s = acc.sum()
        while i < hi { s += Double(x[i]) * Double(x[i]); i += 1 }
        partial[c] = s
    }
    var total = 0.0
    for c in 0..<chunks { total += partial[c] }
    return total
}
