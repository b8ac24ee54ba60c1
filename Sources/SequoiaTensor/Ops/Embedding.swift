/// Rows of `weight` [V, D] picked by `ids`; result ids.shape + [D].
public func embedding(_ ids: IndexTensor, weight: Tensor) -> Tensor {
    precondition(weight.rank == 2, "embedding weight must be [vocab, dim], got \(weight.shape)")
    let vocab = weight.shape[0], dim = weight.shape[1], n = ids.count
    for id in ids.scalars {
        precondition(id >= 0 && Int(id) < vocab, "embedding id \(id) out of range for a vocabulary of \(vocab)")
    }
    let out = Tensor(uninitialized: ids.shape + [dim])
    let pw = weight.pointer, po = out.pointer
    ids.scalars.withUnsafeBufferPointer { pid in
        Parallel.forChunks(n, grain: max(1, (1 << 15) / max(dim, 1))) { r in
            for i in r { (po + i * dim).update(from: pw + Int(pid[i]) * dim, count: dim) }
        }
    }

    return out.recordingGrad([weight]) { g in
        let dw = Tensor.zeros([vocab, dim])
        let pg = g.pointer, pd = dw.pointer
        // Threads split the columns, not the ids, so repeated ids never race on a row.
        ids.scalars.withUnsafeBufferPointer { pid in
            Parallel.forChunks(dim, grain: max(16, (1 << 15) / max(n, 1))) { cols in
                for i in 0..<n {
                    let src = pg + i * dim, dst = pd + Int(pid[i]) * dim
                    for j in cols { dst[j] += src[j] }
                }
            }
        }
        return [dw]
    }
}
