/// Rotary position embedding in the HF "rotate_half" convention: with x = [x1, x2] split in
/// halves of the head dimension, out = [x1 cos - x2 sin, x2 cos + x1 sin].
///
/// x: [B, L, H, hd]; cos, sin: [L, hd/2] angle tables for the L positions (a scaled RoPE
/// variant only changes the tables, e.g. YaRN folds its attention factor into them).
public func applyRotary(_ x: Tensor, cos: Tensor, sin: Tensor) -> Tensor {
    precondition(x.rank == 4, "applyRotary: x \(x.shape) must be [B, L, H, hd]")
    let (batch, length, heads, hd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(hd % 2 == 0, "applyRotary: head dimension \(hd) must be even")
    let half = hd / 2
    precondition(cos.shape == [length, half] && sin.shape == [length, half],
                 "applyRotary: tables \(cos.shape), \(sin.shape) must be [\(length), \(half)]")
    let out = Tensor(uninitialized: x.shape)
    rotate(x.pointer, out.pointer, cos.pointer, sin.pointer, rows: batch * length, length: length,
           heads: heads, half: half, inverse: false)
    return out.recordingGrad([x]) { g in
        // The transpose of a rotation is the rotation by the opposite angle.
        let gx = Tensor(uninitialized: g.shape)
        withExtendedLifetime((cos, sin)) {
            rotate(g.pointer, gx.pointer, cos.pointer, sin.pointer, rows: batch * length, length: length,
                   heads: heads, half: half, inverse: true)
        }
        return [gx]
    }
}

private func rotate(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                    _ cos: UnsafePointer<Float>, _ sin: UnsafePointer<Float>,
                    rows: Int, length: Int, heads: Int, half: Int, inverse: Bool) {
    let sign: Float = inverse ? -1 : 1
    Parallel.forChunks(rows, grain: max(1, 8192 / (heads * half))) { r in
        for row in r {
            let t = row % length
            let c = cos + t * half, s = sin + t * half
            for h in 0..<heads {
                let base = (row * heads + h) * 2 * half
                for i in 0..<half {
                    let a = x[base + i], b = x[base + half + i]
                    let si = sign * s[i]
                    y[base + i] = a * c[i] - b * si
                    y[base + half + i] = b * c[i] + a * si
                }
            }
        }
    }
}
