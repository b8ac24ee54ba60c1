import Foundation

/// What follows a convolution's bias, fused into the same pass over its output.
public enum ConvActivation: Sendable {
    case none
    case relu
    /// min(max(x, 0), 6), MobileNet's activation.
    case relu6
}

// Inference convolutions on channels-last images [B, H, W, C], the layout a 1x1 convolution is
// already a GEMM in. Frame encoders run frozen, so these record no gradients: weights arrive with
// batch norm folded in, and bias, activation and a residual are applied in one pass after the GEMM.

/// A 1x1 convolution: x [B, H, W, Cin], weight [Cout, Cin], bias [Cout] -> [B, H, W, Cout], then the
/// activation, then `residual` (same shape as the output) added.
public func pointwiseConv(_ x: Tensor, weight: Tensor, bias: Tensor, activation: ConvActivation = .none,
                          residual: Tensor? = nil) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 2 && weight.shape[1] == x.shape[3] && bias.shape == [weight.shape[0]],
                 "pointwiseConv: x \(x.shape), weight \(weight.shape), bias \(bias.shape)")
    let positions = x.shape[0] * x.shape[1] * x.shape[2], cout = weight.shape[0]
    let out = Tensor(uninitialized: [x.shape[0], x.shape[1], x.shape[2], cout])
    if let residual { precondition(residual.shape == out.shape, "pointwiseConv: residual \(residual.shape) for output \(out.shape)") }
    gemm(transX: false, transY: true, m: positions, n: cout, k: x.shape[3], x: x.pointer, y: weight.pointer, c: out.pointer)
    finishConv(out.pointer, rows: positions, channels: cout, bias: bias.pointer, activation: activation, residual: residual?.pointer)
    return out
}

/// A depthwise 3x3 convolution with padding 1: x [B, H, W, C], weight [C, 3, 3], bias [C] -> [B, H', W', C]
/// with H' = (H - 1) / stride + 1, then the activation.
public func depthwiseConv3x3(_ x: Tensor, weight: Tensor, bias: Tensor, stride: Int, activation: ConvActivation = .none) -> Tensor {
    let (batch, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(x.rank == 4 && weight.shape == [channels, 3, 3] && bias.shape == [channels] && (stride == 1 || stride == 2),
                 "depthwiseConv3x3: x \(x.shape), weight \(weight.shape), bias \(bias.shape), stride \(stride)")
    let outHeight = (height - 1) / stride + 1, outWidth = (width - 1) / stride + 1
    let out = Tensor(uninitialized: [batch, outHeight, outWidth, channels])
    // Taps channel-innermost, [9, C], so each tap loads the channels it multiplies contiguously.
    var taps = [Float](repeating: 0, count: 9 * channels)
    for c in 0..<channels { for t in 0..<9 { taps[t * channels + c] = weight.pointer[c * 9 + t] } }
    let src = x.pointer, dst = out.pointer, b = bias.pointer
    taps.withUnsafeBufferPointer { tapBuffer in
        let w = tapBuffer.baseAddress!
        Parallel.forChunks(batch * outHeight, grain: 1) { rows in
            for row in rows {
                let image = row / outHeight, oh = row % outHeight
                let plane = src + image * height * width * channels
                for ow in 0..<outWidth {
                    let o = dst + (row * outWidth + ow) * channels
                    // The taps inside the image, each as (input pixel offset, tap index), found once per output pixel.
                    var inputs = (0, 0, 0, 0, 0, 0, 0, 0, 0), tapIndex = (0, 0, 0, 0, 0, 0, 0, 0, 0), valid = 0
                    withUnsafeMutableBytes(of: &inputs) { inputBytes in
                        withUnsafeMutableBytes(of: &tapIndex) { tapBytes in
                            let input = inputBytes.bindMemory(to: Int.self), tap = tapBytes.bindMemory(to: Int.self)
                            for i in 0..<3 {
                                let ih = oh * stride - 1 + i
                                guard ih >= 0 && ih < height else { continue }
                                for j in 0..<3 {
                                    let iw = ow * stride - 1 + j
                                    guard iw >= 0 && iw < width else { continue }
                                    input[valid] = (ih * width + iw) * channels
                                    tap[valid] = (i * 3 + j) * channels
                                    valid += 1
                                }
                            }
                        }
                    }
                    withUnsafeBytes(of: inputs) { inputBytes in
                        withUnsafeBytes(of: tapIndex) { tapBytes in
                            let input = inputBytes.bindMemory(to: Int.self), tap = tapBytes.bindMemory(to: Int.self)
                            var c = 0
                            while c + 8 <= channels {
                                var acc = SIMD8<Float>(UnsafeBufferPointer(start: b + c, count: 8))
                                for t in 0..<valid {
                                    acc.addProduct(SIMD8<Float>(UnsafeBufferPointer(start: plane + input[t] + c, count: 8)),
                                                   SIMD8<Float>(UnsafeBufferPointer(start: w + tap[t] + c, count: 8)))
                                }
                                for k in 0..<8 { o[c + k] = activate(acc[k], activation) }
                                c += 8
                            }
                            while c < channels {
                                var acc = b[c]
                                for t in 0..<valid { acc += plane[input[t] + c] * w[tap[t] + c] }
                                o[c] = activate(acc, activation)
                                c += 1
                            }
                        }
                    }
                }
            }
        }
    }
    return out
}

/// A dense k x k convolution: x [B, H, W, Cin], weight [Cout, k, k, Cin] (channels innermost, as the
/// patch is gathered), bias [Cout] -> [B, H', W', Cout] with H' = (H + 2 padding - k) / stride + 1, then
/// the activation. im2col into [positions, k k Cin] and one GEMM; meant for stems with few input channels.
public func conv2dChannelsLast(_ x: Tensor, weight: Tensor, bias: Tensor, stride: Int, padding: Int,
                               activation: ConvActivation = .none) -> Tensor {
    let (batch, height, width, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    precondition(x.rank == 4 && weight.rank == 4 && weight.shape[1] == weight.shape[2] && weight.shape[3] == cin
                 && bias.shape == [weight.shape[0]] && stride >= 1 && padding >= 0,
                 "conv2dChannelsLast: x \(x.shape), weight \(weight.shape), bias \(bias.shape)")
    let (cout, k) = (weight.shape[0], weight.shape[1])
    let outHeight = (height + 2 * padding - k) / stride + 1, outWidth = (width + 2 * padding - k) / stride + 1
    precondition(outHeight > 0 && outWidth > 0, "conv2dChannelsLast: kernel \(k) larger than the padded input \(x.shape)")
    let patch = k * k * cin, positions = batch * outHeight * outWidth
    let columns = Tensor(uninitialized: [positions, patch])
    let src = x.pointer, col = columns.pointer
    Parallel.forChunks(batch * outHeight, grain: 1) { rows in
        for row in rows {
            let image = row / outHeight, oh = row % outHeight
            for ow in 0..<outWidth {
                let dst = col + (row * outWidth + ow) * patch
                for i in 0..<k {
                    let ih = oh * stride - padding + i
                    for j in 0..<k {
                        let iw = ow * stride - padding + j
                        let tap = dst + (i * k + j) * cin
                        if ih >= 0 && ih < height && iw >= 0 && iw < width {
                            tap.update(from: src + ((image * height + ih) * width + iw) * cin, count: cin)
                        } else {
                            tap.update(repeating: 0, count: cin)
                        }
                    }
                }
            }
        }
    }
    let out = Tensor(uninitialized: [batch, outHeight, outWidth, cout])
    gemm(transX: false, transY: true, m: positions, n: cout, k: patch, x: col, y: weight.pointer, c: out.pointer)
    finishConv(out.pointer, rows: positions, channels: cout, bias: bias.pointer, activation: activation, residual: nil)
    return out
}

/// Adds the bias, applies the activation and adds the residual, in place, over rows of `channels`.
private func finishConv(_ out: UnsafeMutablePointer<Float>, rows: Int, channels: Int, bias: UnsafePointer<Float>,
                        activation: ConvActivation, residual: UnsafePointer<Float>?) {
    Parallel.forChunks(rows, grain: max(1, 16384 / max(1, channels))) { range in
        for r in range {
            let o = out + r * channels, res = residual.map { $0 + r * channels }
            for c in 0..<channels {
                let v = activate(o[c] + bias[c], activation)
                o[c] = res.map { v + $0[c] } ?? v
            }
        }
    }
}

@inline(__always)
private func activate(_ v: Float, _ activation: ConvActivation) -> Float {
    switch activation {
    case .none: return v
    case .relu: return max(v, 0)
    case .relu6: return min(max(v, 0), 6)
    }
}
