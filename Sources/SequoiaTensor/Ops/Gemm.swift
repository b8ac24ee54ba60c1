import CBLAS

/// C_i = op(X_i) op(Y_i) + beta C_i for i in 0..<batch, on cblas_sgemm. Every matrix is
/// row-major and contiguous; op(X_i) is [m, k] and op(Y_i) is [k, n], stored transposed
/// when the flag is set, so callers never materialise a transpose.
///
/// A stride of 0 reuses one matrix for every item; `strideC` 0 sums every product into one
/// C. Batches that are one big product run as a single sgemm: a shared Y under stacked X
/// (fold the batch into m), and a sum over stacked K (fold the batch into k).
func gemm(transX: Bool, transY: Bool, m: Int, n: Int, k: Int, batch: Int = 1,
          x: UnsafePointer<Float>, strideX: Int = 0,
          y: UnsafePointer<Float>, strideY: Int = 0,
          c: UnsafeMutablePointer<Float>, strideC: Int = 0, beta: Float = 0) {
    if m == 0 || n == 0 { return }
    if k == 0 || batch == 0 {
        // Empty sums (sgemm rejects a leading dimension of 0); a shared C still gets written.
        let total = (strideC == 0 ? 1 : batch) * m * n
        if beta == 0 { c.update(repeating: 0, count: total) } else { for i in 0..<total { c[i] *= beta } }
        return
    }
    if batch > 1 && strideC == m * n && strideY == 0 && !transX && strideX == m * k {
        sgemm(transX, transY, m * batch, n, k, x, y, c, beta)
    } else if batch > 1 && strideC == 0 && transX && !transY && strideX == k * m && strideY == k * n {
        sgemm(transX, transY, m, n, k * batch, x, y, c, beta)
    } else {
        for i in 0..<batch {
            sgemm(transX, transY, m, n, k, x + i * strideX, y + i * strideY, c + i * strideC,
                  strideC == 0 && i > 0 ? 1 : beta)
        }
    }
}

@inline(__always)
private func sgemm(_ transX: Bool, _ transY: Bool, _ m: Int, _ n: Int, _ k: Int,
                   _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>,
                   _ beta: Float) {
    precondition(max(m, n, k) <= Int(Int32.max), "matrix dimension beyond BLAS's 32-bit range: \(m)x\(k)x\(n)")
    cblas_sgemm(CblasRowMajor, transX ? CblasTrans : CblasNoTrans, transY ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1,
                x, Int32(transX ? m : k), y, Int32(transY ? k : n), beta, c, Int32(n))
}
