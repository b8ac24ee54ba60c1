/// Reversal of right-padded sequences: for row b, positions 0..<lengths[b] come out in reverse
/// order and the padding after them stays where it is, so a scan over the result meets every
/// real element before any pad (a plain flip would put the pads first).

/// x [B, L, ...] -> [B, L, ...] with out[b, t] = x[b, lengths[b] - 1 - t] for t < lengths[b],
/// and out[b, t] = x[b, t] otherwise. Applying it twice gives x back.
public func reversedWithinLengths(_ x: Tensor, lengths: [Int]) -> Tensor {
    precondition(x.rank >= 2, "reversedWithinLengths needs x [B, L, ...], got \(x.shape)")
    let (batch, length) = (x.shape[0], x.shape[1])
    precondition(lengths.count == batch, "reversedWithinLengths: \(lengths.count) lengths for a batch of \(batch)")
    precondition(lengths.allSatisfy { (0...length).contains($0) },
                 "reversedWithinLengths: lengths \(lengths) must lie in 0...\(length)")
    let out = Tensor(uninitialized: x.shape)
    permuteRows(x.pointer, into: out.pointer, batch: batch, length: length, width: x.count / max(1, batch * length), lengths: lengths)
    return out.recordingGrad([x]) { g in
        // The permutation is its own inverse, so the gradient goes back through the same one.
        let gx = Tensor(uninitialized: g.shape)
        permuteRows(g.pointer, into: gx.pointer, batch: batch, length: length, width: g.count / max(1, batch * length), lengths: lengths)
        return [gx]
    }
}

private func permuteRows(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
                         batch: Int, length: Int, width: Int, lengths: [Int]) {
    guard width > 0 else { return }
    lengths.withUnsafeBufferPointer { lens in
        Parallel.forChunks(batch * length, grain: max(1, (1 << 15) / width)) { rows in
            for row in rows {
                let b = row / length, t = row - b * length, n = lens[b]
                let from = b * length + (t < n ? n - 1 - t : t)
                (dst + row * width).update(from: src + from * width, count: width)
            }
        }
    }
}
