import CBLAS

/// 2-D convolution as im2col + GEMM. Images are processed in groups whose column matrices fit
/// a bounded buffer; im2col/col2im run in parallel, and the GEMMs run afterwards from the
/// calling thread (OpenBLAS brings its own threads).

/// Sizes of one convolution. The column matrix of an image is [patch, positions]: one row per
/// (input channel, kernel row, kernel column), one column per output position.
private struct ConvGeometry {
    let batch: Int, inChannels: Int, height: Int, width: Int
    let outChannels: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int
    let outHeight: Int, outWidth: Int

    init(_ x: Tensor, _ weight: Tensor, stride: Int, padding: Int) {
        precondition(x.rank == 4 && weight.rank == 4 && weight.shape[1] == x.shape[1],
                     "conv2d needs x [B, Cin, H, W] and weight [Cout, Cin, kh, kw], got \(x.shape) and \(weight.shape)")
        precondition(stride >= 1 && padding >= 0, "conv2d stride \(stride), padding \(padding)")
        batch = x.shape[0]; inChannels = x.shape[1]; height = x.shape[2]; width = x.shape[3]
        outChannels = weight.shape[0]; kernelHeight = weight.shape[2]; kernelWidth = weight.shape[3]
        self.stride = stride
        self.padding = padding
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "conv2d kernel \(weight.shape) larger than padded input \(x.shape)")
    }

    var patch: Int { inChannels * kernelHeight * kernelWidth }
    var positions: Int { outHeight * outWidth }
    var imageSize: Int { inChannels * height * width }
    /// A 1x1 kernel at stride 1 without padding: the image already is its column matrix.
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }
    /// Images per group, so a group's column matrices stay within about 64 MB.
    var groupSize: Int { max(1, min(batch, (1 << 24) / max(1, patch * positions))) }

    /// The output columns [lo, hi) whose input column ow * stride - padding + j lies inside the image.
    @inline(__always)
    func validColumns(_ j: Int) -> (Int, Int) {
        let first = padding - j, last = width + padding - 1 - j
        let lo = max(0, first > 0 ? (first + stride - 1) / stride : 0)
        let hi = last < 0 ? 0 : min(outWidth, last / stride + 1)
        return (lo, max(lo, hi))
    }
}

/// Column matrices of images [first, first + count) into col [count, patch, positions].
private func im2col(_ geo: ConvGeometry, _ x: UnsafePointer<Float>, first: Int, count: Int,
                    into col: UnsafeMutablePointer<Float>) {
    let kernelArea = geo.kernelHeight * geo.kernelWidth, positions = geo.positions
    Parallel.forChunks(count * geo.patch, grain: max(1, (1 << 15) / max(1, positions))) { r in
        for row in r {
            let image = row / geo.patch, p = row % geo.patch
            let channel = p / kernelArea, i = (p % kernelArea) / geo.kernelWidth, j = p % geo.kernelWidth
            let plane = x + (first + image) * geo.imageSize + channel * geo.height * geo.width
            let dst = col + row * positions
            let (lo, hi) = geo.validColumns(j)
            for oh in 0..<geo.outHeight {
                let ih = oh * geo.stride - geo.padding + i
                let out = dst + oh * geo.outWidth
                guard ih >= 0 && ih < geo.height else {
                    out.update(repeating: 0, count: geo.outWidth)
                    continue
                }
                let src = plane + ih * geo.width - geo.padding + j
                out.update(repeating: 0, count: lo)
                if geo.stride == 1 {
                    (out + lo).update(from: src + lo, count: hi - lo)
                } else {
                    for ow in lo..<hi { out[ow] = src[ow * geo.stride] }
                }
                (out + hi).update(repeating: 0, count: geo.outWidth - hi)
            }
        }
    }
}

/// Overwrites images [first, first + count) of dx with the sum of their column-matrix gradients.
private func col2im(_ geo: ConvGeometry, _ col: UnsafePointer<Float>, first: Int, count: Int,
                    into dx: UnsafeMutablePointer<Float>) {
    let kernelArea = geo.kernelHeight * geo.kernelWidth, positions = geo.positions
    // One (image, channel) plane per item: its kernel rows scatter only into that plane.
    Parallel.forChunks(count * geo.inChannels, grain: max(1, (1 << 15) / max(1, kernelArea * positions))) { r in
        for item in r {
            let image = item / geo.inChannels, channel = item % geo.inChannels
            let plane = dx + (first + image) * geo.imageSize + channel * geo.height * geo.width
            plane.update(repeating: 0, count: geo.height * geo.width)
            for p in 0..<kernelArea {
                let i = p / geo.kernelWidth, j = p % geo.kernelWidth
                let src = col + ((image * geo.inChannels + channel) * kernelArea + p) * positions
                let (lo, hi) = geo.validColumns(j)
                for oh in 0..<geo.outHeight {
                    let ih = oh * geo.stride - geo.padding + i
                    guard ih >= 0 && ih < geo.height else { continue }
                    let dst = plane + ih * geo.width - geo.padding + j
                    let row = src + oh * geo.outWidth
                    for ow in lo..<hi { dst[ow * geo.stride] += row[ow] }
                }
            }
        }
    }
}

/// c[m, n] = op(a) op(b) + beta c, row-major; op transposes when asked. Caller's thread only.
@inline(__always)
private func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                  _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                  beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                blasint(m), blasint(n), blasint(k), 1, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
}

/// 2-D convolution (cross-correlation, as PyTorch) by im2col + GEMM, zero padding.
/// x [B, Cin, H, W], weight [Cout, Cin, kh, kw], bias [Cout] -> [B, Cout, Ho, Wo] with
/// Ho = (H + 2 padding - kh) / stride + 1 (likewise Wo).
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) -> Tensor {
    let geo = ConvGeometry(x, weight, stride: stride, padding: padding)
    if let bias { precondition(bias.shape == [geo.outChannels], "bias \(bias.shape) for \(geo.outChannels) channels") }
    let out = Tensor(uninitialized: [geo.batch, geo.outChannels, geo.outHeight, geo.outWidth])
    let px = x.pointer, pw = weight.pointer, po = out.pointer
    let patch = geo.patch, positions = geo.positions, outImage = geo.outChannels * positions
    let col = geo.isPointwise ? nil : Tensor(uninitialized: [geo.groupSize * patch * positions])
    for first in Swift.stride(from: 0, to: geo.batch, by: geo.groupSize) {
        let count = min(geo.groupSize, geo.batch - first)
        if let col { im2col(geo, px, first: first, count: count, into: col.pointer) }
        for image in 0..<count {
            let columns = col.map { $0.pointer + image * patch * positions } ?? px + (first + image) * geo.imageSize
            gemm(transA: false, transB: false, m: geo.outChannels, n: positions, k: patch,
                 pw, lda: patch, columns, ldb: positions, beta: 0, po + (first + image) * outImage, ldc: positions)
        }
    }
    if let bias {
        let pb = bias.pointer
        Parallel.forChunks(geo.batch * geo.outChannels, grain: max(1, (1 << 15) / max(1, positions))) { r in
            for row in r {
                let v = pb[row % geo.outChannels], dst = po + row * positions
                for q in 0..<positions { dst[q] += v }
            }
        }
    }

    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return out.recordingGrad(inputs) { g in
        let pg = g.pointer
        let dx = x.requiresGrad ? Tensor(uninitialized: x.shape) : nil
        let dw = weight.requiresGrad ? Tensor(uninitialized: weight.shape) : nil
        let scratch = geo.isPointwise ? nil : Tensor(uninitialized: [geo.groupSize * patch * positions])
        for first in Swift.stride(from: 0, to: geo.batch, by: geo.groupSize) {
            let count = min(geo.groupSize, geo.batch - first)
            if let dw {
                // dW = sum_b g_b col_b^T.
                if let scratch { im2col(geo, px, first: first, count: count, into: scratch.pointer) }
                for image in 0..<count {
                    let columns = scratch.map { $0.pointer + image * patch * positions } ?? px + (first + image) * geo.imageSize
                    gemm(transA: false, transB: true, m: geo.outChannels, n: patch, k: positions,
                         pg + (first + image) * outImage, lda: positions, columns, ldb: positions,
                         beta: first + image == 0 ? 0 : 1, dw.pointer, ldc: patch)
                }
            }
            if let dx {
                // dcol_b = W^T g_b, scattered back onto the image (or the image itself when pointwise).
                for image in 0..<count {
                    let dcol = scratch.map { $0.pointer + image * patch * positions } ?? dx.pointer + (first + image) * geo.imageSize
                    gemm(transA: true, transB: false, m: patch, n: positions, k: geo.outChannels,
                         pw, lda: patch, pg + (first + image) * outImage, ldb: positions, beta: 0, dcol, ldc: positions)
                }
                if let scratch { col2im(geo, scratch.pointer, first: first, count: count, into: dx.pointer) }
            }
        }
        if let dw, geo.batch == 0 { dw.fill(0) }
        var db: Tensor?
        if let bias, bias.requiresGrad {
            let grad = Tensor(uninitialized: bias.shape), pdb = grad.pointer
            Parallel.forChunks(geo.outChannels, grain: max(1, (1 << 15) / max(1, geo.batch * positions))) { r in
                for c in r {
                    var sum: Float = 0
                    for b in 0..<geo.batch {
                        let src = pg + b * outImage + c * positions
                        for q in 0..<positions { sum += src[q] }
                    }
                    pdb[c] = sum
                }
            }
            db = grad
        }
        return bias == nil ? [dx, dw] : [dx, dw, db]
    }
}
