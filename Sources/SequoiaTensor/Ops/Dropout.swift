/// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1-p).
/// The mask is drawn from `rng` in element order, so a seed reproduces it; p == 0 returns x.
public func dropout(_ x: Tensor, p: Float, rng: inout RandomGenerator) -> Tensor {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1), got \(p)")
    if p == 0 { return x }
    let n = x.count, scale = 1 / (1 - p)
    // Each 64-bit draw gives two 32-bit uniforms u (the generator step dominates the cost);
    // an element is kept when u >= p·2³², i.e. with probability 1 - p to within 2⁻³².
    let threshold = UInt64((Double(p) * 4_294_967_296).rounded(.up))
    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, po = out.pointer
    // A local copy keeps the generator's state out of memory shared with the caller.
    var local = rng
    let keep = [Bool](unsafeUninitializedCapacity: n) { mask, initialized in
        @inline(__always) func draw(_ i: Int, _ u: UInt64) {
            let k = u >= threshold
            mask[i] = k
            po[i] = k ? px[i] * scale : 0
        }
        var i = 0
        while i + 1 < n {
            let bits = local.next()
            draw(i, bits >> 32)
            draw(i + 1, bits & 0xFFFF_FFFF)
            i += 2
        }
        if i < n { draw(i, local.next() >> 32) }
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
