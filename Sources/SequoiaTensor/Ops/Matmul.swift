import CBLAS

/// Matrix product through cblas_sgemm. a: [..., M, K] (or [..., K, M] with transposeA),
/// b: [K, N] (or [N, K] with transposeB), or batched b: [..., K, N] with the same leading dims as a;
/// a 2-D a with a batched b multiplies every item of b. Result: [..., M, N].
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank >= 2 && b.rank >= 2, "matmul needs operands of rank >= 2, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2]
    let k = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1]
    let n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1]
    let kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2]
    precondition(k == kb, "matmul inner dimensions differ: \(a.shape)\(transposeA ? "ᵀ" : "") x \(b.shape)\(transposeB ? "ᵀ" : "")")
    let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
    precondition(batchA.isEmpty || batchB.isEmpty || batchA == batchB,
                 "matmul batch dimensions differ: \(a.shape) x \(b.shape)")
    let batchShape = batchA.isEmpty ? batchB : batchA
    let batch = batchShape.reduce(1, *)
    // Stride 0 marks an operand shared by every batch item (its gradient sums over the batch).
    let sa = batchA.isEmpty ? 0 : m * k, sb = batchB.isEmpty ? 0 : k * n, sc = m * n

    let out = Tensor(uninitialized: batchShape + [m, n])
    gemm(transX: transposeA, transY: transposeB, m: m, n: n, k: k, batch: batch,
         x: a.pointer, strideX: sa, y: b.pointer, strideY: sb, c: out.pointer, strideC: sc)

    return out.recordingGrad([a, b]) { g in
        var ga: Tensor?, gb: Tensor?
        if a.requiresGrad {
            let da = Tensor(uninitialized: a.shape)
            if transposeA {  // dA_i = op(B_i) dC_iᵀ: [K, M]
                gemm(transX: transposeB, transY: true, m: k, n: m, k: n, batch: batch,
                     x: b.pointer, strideX: sb, y: g.pointer, strideY: sc, c: da.pointer, strideC: sa)
            } else {  // dA_i = dC_i op(B_i)ᵀ: [M, K]
                gemm(transX: false, transY: !transposeB, m: m, n: k, k: n, batch: batch,
                     x: g.pointer, strideX: sc, y: b.pointer, strideY: sb, c: da.pointer, strideC: sa)
            }
            ga = da
        }
        if b.requiresGrad {
            let db = Tensor(uninitialized: b.shape)
            if transposeB {  // dB_i = dC_iᵀ op(A_i): [N, K]
                gemm(transX: true, transY: transposeA, m: n, n: k, k: m, batch: batch,
                     x: g.pointer, strideX: sc, y: a.pointer, strideY: sa, c: db.pointer, strideC: sb)
            } else {  // dB_i = op(A_i)ᵀ dC_i: [K, N]
                gemm(transX: !transposeA, transY: false, m: k, n: n, k: m, batch: batch,
                     x: a.pointer, strideX: sa, y: g.pointer, strideY: sc, c: db.pointer, strideC: sb)
            }
            gb = db
        }
        return [ga, gb]
    }
}

/// y = x W^T + b with W stored [out, in] (PyTorch's Linear); x: [..., in].
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    precondition(weight.rank == 2, "linear weight must be [out, in], got \(weight.shape)")
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    precondition(x.rank >= 1 && x.shape[x.rank - 1] == inFeatures,
                 "linear input \(x.shape) does not end in \(inFeatures) features")
    if let bias { precondition(bias.shape == [outFeatures], "linear bias \(bias.shape) for \(outFeatures) outputs") }
    let rows = inFeatures == 0 ? x.shape.dropLast().reduce(1, *) : x.count / inFeatures

    let y = Tensor(uninitialized: Array(x.shape.dropLast()) + [outFeatures])
    if let bias {
        // Seed C with the bias and let sgemm add onto it (beta = 1): no second pass over y.
        let pb = bias.pointer, py = y.pointer
        Parallel.forChunks(rows, grain: max(1, (1 << 15) / max(outFeatures, 1))) { r in
            for row in r { (py + row * outFeatures).update(from: pb, count: outFeatures) }
        }
    }
    gemm(transX: false, transY: true, m: rows, n: outFeatures, k: inFeatures,
         x: x.pointer, y: weight.pointer, c: y.pointer, beta: bias == nil ? 0 : 1)

    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return y.recordingGrad(inputs) { g in
        var grads: [Tensor?] = []
        if x.requiresGrad {  // dx = dy W
            let dx = Tensor(uninitialized: x.shape)
            gemm(transX: false, transY: false, m: rows, n: inFeatures, k: outFeatures,
                 x: g.pointer, y: weight.pointer, c: dx.pointer)
            grads.append(dx)
        } else {
            grads.append(nil)
        }
        if weight.requiresGrad {  // dW = dyᵀ x
            let dw = Tensor(uninitialized: weight.shape)
            gemm(transX: true, transY: false, m: outFeatures, n: inFeatures, k: rows,
                 x: g.pointer, y: x.pointer, c: dw.pointer)
            grads.append(dw)
        } else {
            grads.append(nil)
        }
        if let bias { grads.append(bias.requiresGrad ? columnSums(g.pointer, rows: rows, columns: outFeatures) : nil) }
        return grads
    }
}

/// Sums a [rows, columns] matrix over its rows, as dyᵀ·1 on BLAS (threaded, blocked).
private func columnSums(_ p: UnsafePointer<Float>, rows: Int, columns: Int) -> Tensor {
    let out = Tensor.zeros([columns])
    if rows == 0 || columns == 0 { return out }
    let ones = Tensor.ones([rows])
    withExtendedLifetime(ones) {
        cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), 1, p, Int32(columns),
                    ones.pointer, 1, 0, out.pointer, 1)
    }
    return out
}
