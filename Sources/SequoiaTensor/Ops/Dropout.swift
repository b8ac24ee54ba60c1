/// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1-p).
/// The mask is drawn from `rng` in element order, so a seed reproduces it; p == 0 returns x.
public func dropout(_ x: Tensor, p: Float, rng: inout RandomGenerator) -> Tensor {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    if p == 0 { return x }
    let n = x.count, scale = 1 / (1 - p)
    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, po = out.pointer
    // A local copy keeps the generator's state in registers through the loop.
    var local = rng
    let keep = [Bool](unsafeUninitializedCapacity: n) { mask, initialized in
        for i in 0..<n {
            let k = local.nextFloat() >= p
            mask[i] = k
            po[i] = k ? px[i] * scale : 0
        }
        initialized = n
    }
    rng = local

    return out.recordingGrad([x]) { g in
        let dx = Tensor(uninitialized: x.shape)
        let pg = g.pointer, pd = dx.pointer
        keep.withUnsafeBufferPointer { mask in
            Parallel.forChunks(n, grain: 1 << 16) { r in
                for i in r { pd[i] = mask[i] ? pg[i] * scale : 0 }
            }
        }
        return [dx]
    }
}
