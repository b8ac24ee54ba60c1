/// 2-D average and max pooling over [B, C, H, W] (no padding, floor output size, as PyTorch).
/// Every (b, c) plane is independent, so planes are the unit of parallel work.

/// Window layout shared by both pools.
private struct PoolGeometry {
    let planes: Int, height: Int, width: Int, kernel: Int, stride: Int, outHeight: Int, outWidth: Int

    init(_ x: Tensor, kernel: Int, stride: Int?) {
        precondition(x.rank == 4, "pooling needs [B, C, H, W], got \(x.shape)")
        let stride = stride ?? kernel
        precondition(kernel >= 1 && stride >= 1, "pool kernel \(kernel), stride \(stride)")
        precondition(x.shape[2] >= kernel && x.shape[3] >= kernel, "pool kernel \(kernel) larger than input \(x.shape)")
        planes = x.shape[0] * x.shape[1]
        height = x.shape[2]
        width = x.shape[3]
        self.kernel = kernel
        self.stride = stride
        outHeight = (height - kernel) / stride + 1
        outWidth = (width - kernel) / stride + 1
    }

    var planeSize: Int { height * width }
    var outPlaneSize: Int { outHeight * outWidth }
    var grain: Int { max(1, (1 << 15) / max(1, planeSize)) }

    /// Offset within the input plane of the top-left corner of output (i, j)'s window.
    @inline(__always)
    func corner(_ i: Int, _ j: Int) -> Int { i * stride * width + j * stride }
}

/// x [B, C, H, W]; windows of kernel x kernel every `stride` (default = kernel), no padding.
public func avgPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) -> Tensor {
    let geo = PoolGeometry(x, kernel: kernel, stride: stride)
    let out = Tensor(uninitialized: [x.shape[0], x.shape[1], geo.outHeight, geo.outWidth])
    let px = x.pointer, po = out.pointer
    let scale = 1 / Float(kernel * kernel)
    Parallel.forChunks(geo.planes, grain: geo.grain) { r in
        for p in r {
            let src = px + p * geo.planeSize, dst = po + p * geo.outPlaneSize
            for i in 0..<geo.outHeight {
                for j in 0..<geo.outWidth {
                    let w = src + geo.corner(i, j)
                    var sum: Float = 0
                    for di in 0..<kernel {
                        for dj in 0..<kernel { sum += w[di * geo.width + dj] }
                    }
                    dst[i * geo.outWidth + j] = sum * scale
                }
            }
        }
    }
    return out.recordingGrad([x]) { g in
        let dx = Tensor.zeros(x.shape)
        let pg = g.pointer, pdx = dx.pointer
        Parallel.forChunks(geo.planes, grain: geo.grain) { r in
            for p in r {
                let src = pg + p * geo.outPlaneSize, dst = pdx + p * geo.planeSize
                for i in 0..<geo.outHeight {
                    for j in 0..<geo.outWidth {
                        let v = src[i * geo.outWidth + j] * scale
                        let w = dst + geo.corner(i, j)
                        for di in 0..<kernel {
                            for dj in 0..<kernel { w[di * geo.width + dj] += v }
                        }
                    }
                }
            }
        }
        return [dx]
    }
}

/// Max over each window; the gradient goes to the window's first maximum (row-major), as PyTorch.
public func maxPool2d(_ x: Tensor, kernel: Int, stride: Int? = nil) -> Tensor {
    let geo = PoolGeometry(x, kernel: kernel, stride: stride)
    let out = Tensor(uninitialized: [x.shape[0], x.shape[1], geo.outHeight, geo.outWidth])
    // Offset of each output's maximum within its input plane, for the backward pass.
    var argmax = [Int32](repeating: 0, count: out.count)
    let px = x.pointer, po = out.pointer
    argmax.withUnsafeMutableBufferPointer { buffer in
        let pa = buffer.baseAddress!
        Parallel.forChunks(geo.planes, grain: geo.grain) { r in
            for p in r {
                let src = px + p * geo.planeSize, o = p * geo.outPlaneSize
                for i in 0..<geo.outHeight {
                    for j in 0..<geo.outWidth {
                        let c = geo.corner(i, j)
                        var best = src[c], at = c
                        for di in 0..<kernel {
                            for dj in 0..<kernel {
                                let q = c + di * geo.width + dj
                                // NaN wins, as in PyTorch, so it propagates.
                                if src[q] > best || src[q].isNaN && !best.isNaN { best = src[q]; at = q }
                            }
                        }
                        po[o + i * geo.outWidth + j] = best
                        pa[o + i * geo.outWidth + j] = Int32(at)
                    }
                }
            }
        }
    }
    let offsets = argmax
    return out.recordingGrad([x]) { g in
        let dx = Tensor.zeros(x.shape)
        let pg = g.pointer, pdx = dx.pointer
        offsets.withUnsafeBufferPointer { buffer in
            let pa = buffer.baseAddress!
            Parallel.forChunks(geo.planes, grain: geo.grain) { r in
                for p in r {
                    let o = p * geo.outPlaneSize, dst = pdx + p * geo.planeSize
                    for q in 0..<geo.outPlaneSize { dst[Int(pa[o + q])] += pg[o + q] }
                }
            }
        }
        return [dx]
    }
}
