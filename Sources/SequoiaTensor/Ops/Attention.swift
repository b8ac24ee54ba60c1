/// Scaled dot-product attention with an online-softmax tiled kernel; memory grows linearly
/// in the sequence length.
///
/// q: [B, Lq, H, hd]; k, v: [B, Lk, KV, hd] with H a multiple of KV (grouped-query heads:
/// kv head j serves query heads j*H/KV ..< (j+1)*H/KV). Queries are the last Lq positions of
/// the keys' sequence. `causal` masks later keys; `window` keeps keys within that many
/// positions; `keyLengths` masks right padding per batch row. Returns [B, Lq, H, hd].
public func scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, causal: Bool, window: Int? = nil,
                                      scale: Float? = nil, keyLengths: [Int]? = nil) -> Tensor {
    precondition(q.rank == 4 && k.rank == 4 && k.shape == v.shape, "attention: q \(q.shape), k \(k.shape), v \(v.shape) must be [B, L, heads, hd]")
    let (batch, lq, heads, hd) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3])
    let (lk, kvHeads) = (k.shape[1], k.shape[2])
    precondition(k.shape[0] == batch && k.shape[3] == hd, "attention: k \(k.shape) does not match q \(q.shape)")
    precondition(kvHeads > 0 && heads % kvHeads == 0, "attention: \(heads) query heads for \(kvHeads) kv heads")
    precondition(lk >= lq, "attention: fewer keys (\(lk)) than queries (\(lq))")
    precondition(keyLengths == nil || keyLengths!.count == batch, "attention: keyLengths needs one entry per batch row")
    if let w = window { precondition(w > 0, "attention: window must be positive") }

    let kernel = AttentionKernel(batch: batch, queries: lq, keys: lk, heads: heads, kvHeads: kvHeads, headDim: hd,
                                 causal: causal, window: window, scale: scale ?? 1 / Float(hd).squareRoot(),
                                 keyLengths: keyLengths)
    let o = Tensor(uninitialized: q.shape)
    let lse = Tensor(uninitialized: [batch, heads, lq])
    kernel.forward(q: q.pointer, k: k.pointer, v: v.pointer, o: o.pointer, lse: lse.pointer)
    // The closure keeps o's storage, not o itself: o owns the closure through its graph node.
    let oStorage = o.storage
    return o.recordingGrad([q, k, v]) { go in
        let gq = Tensor(uninitialized: q.shape), gk = Tensor(uninitialized: k.shape), gv = Tensor(uninitialized: v.shape)
        withExtendedLifetime((q, k, v, oStorage, lse)) {
            kernel.backward(q: q.pointer, k: k.pointer, v: v.pointer, o: oStorage.pointer, lse: lse.pointer, go: go.pointer,
                            gq: gq.pointer, gk: gk.pointer, gv: gv.pointer)
        }
        return [gq, gk, gv]
    }
}
