/// Real FFTs along the last axis and the FFT-based causal long convolution (Hyena), with
/// gradients, on FFTW single precision. Rows are independent transforms run in parallel, each
/// thread with its own aligned scratch arrays.

/// Rows per parallel chunk for transforms of length n: enough work to pay for a dispatch.
@inline(__always)
func rowGrain(_ n: Int) -> Int { max(1, (1 << 14) / max(n, 1)) }

/// dst[0..<count] = src, dst[count..<n] = 0.
@inline(__always)
func loadPadded(_ dst: UnsafeMutablePointer<Float>, _ n: Int, from src: UnsafePointer<Float>, count: Int) {
    dst.update(from: src, count: count)
    (dst + count).update(repeating: 0, count: n - count)
}

/// dst = a * b (or a * conj(b)), plus dst when `accumulate`, over interleaved complex bins.
/// dst may be a.
@inline(__always)
func complexProduct(_ dst: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            bins: Int, conjugateB: Bool, accumulate: Bool) {
    let sign: Float = conjugateB ? -1 : 1
    for k in 0..<bins {
        let ar = a[2 * k], ai = a[2 * k + 1]
        let br = b[2 * k], bi = sign * b[2 * k + 1]
        let re = ar * br - ai * bi, im = ar * bi + ai * br
        if accumulate {
            dst[2 * k] += re; dst[2 * k + 1] += im
        } else {
            dst[2 * k] = re; dst[2 * k + 1] = im
        }
    }
}

/// Real FFT along the last axis, zero-padded (or truncated) to n (default: the axis length).
/// Output [..., n/2+1, 2]: real and imaginary parts interleaved (torch.view_as_real layout).
public func rfft(_ x: Tensor, n: Int? = nil) -> Tensor {
    precondition(x.rank >= 1, "rfft of a scalar")
    let length = x.shape[x.rank - 1]
    let n = n ?? length
    precondition(n >= 1, "rfft length \(n)")
    let fft = RealFFT(n: n), bins = fft.bins, used = min(length, n)
    let rows = x.shape.dropLast().reduce(1, *)
    let out = Tensor(uninitialized: Array(x.shape.dropLast()) + [bins, 2])
    let px = x.pointer, po = out.pointer
    Parallel.forChunks(rows, grain: rowGrain(n)) { r in
        let s = FFTScratch(fft)
        for row in r {
            loadPadded(s.real, n, from: px + row * length, count: used)
            fft.forward(s.real, s.spectrum())
            (po + row * 2 * bins).update(from: s.spectrum(), count: 2 * bins)
        }
    }
    return out.recordingGrad([x]) { g in
        // dx_j = Re(sum_{k<=n/2} G_k e^{+2 pi i jk/n}); c2r counts each interior bin twice
        // (once for its conjugate mirror), so those are halved first.
        let gx = Tensor(uninitialized: x.shape)
        let pg = g.pointer, pgx = gx.pointer
        Parallel.forChunks(rows, grain: rowGrain(n)) { r in
            let s = FFTScratch(fft)
            let spectrum = s.spectrum()
            for row in r {
                spectrum.update(from: pg + row * 2 * bins, count: 2 * bins)
                for k in 1..<bins where 2 * k != n {
                    spectrum[2 * k] *= 0.5
                    spectrum[2 * k + 1] *= 0.5
                }
                fft.inverse(spectrum, s.real)
                loadPadded(pgx + row * length, length, from: s.real, count: used)
            }
        }
        return [gx]
    }
}

/// Inverse of rfft: x [..., m, 2] complex half-spectrum -> [..., n] real, scaled by 1/n
/// (torch.fft.irfft's default "backward" norm). The spectrum is zero-padded or truncated to
/// n/2+1 bins; imaginary parts of the DC and Nyquist bins are ignored.
public func irfft(_ x: Tensor, n: Int) -> Tensor {
    precondition(x.rank >= 2 && x.shape[x.rank - 1] == 2, "irfft needs [..., m, 2], got \(x.shape)")
    precondition(n >= 1, "irfft length \(n)")
    let m = x.shape[x.rank - 2]
    let fft = RealFFT(n: n), bins = fft.bins, used = min(m, bins)
    let rows = x.shape.dropLast(2).reduce(1, *)
    let out = Tensor(uninitialized: Array(x.shape.dropLast(2)) + [n])
    let scale = 1 / Float(n)
    let px = x.pointer, po = out.pointer
    Parallel.forChunks(rows, grain: rowGrain(n)) { r in
        let s = FFTScratch(fft)
        for row in r {
            loadPadded(s.spectrum(), 2 * bins, from: px + row * 2 * m, count: 2 * used)
            fft.inverse(s.spectrum(), s.real)
            let dst = po + row * n
            for j in 0..<n { dst[j] = s.real[j] * scale }
        }
    }
    return out.recordingGrad([x]) { g in
        // dX_k = (w_k / n) rfft(g)_k: interior bins appear twice in the Hermitian inverse.
        let gx = Tensor(uninitialized: x.shape)
        let pg = g.pointer, pgx = gx.pointer
        Parallel.forChunks(rows, grain: rowGrain(n)) { r in
            let s = FFTScratch(fft)
            let spectrum = s.spectrum()
            for row in r {
                s.real.update(from: pg + row * n, count: n)
                fft.forward(s.real, spectrum)
                let dst = pgx + row * 2 * m
                for k in 0..<used {
                    let edge = k == 0 || 2 * k == n
                    let w = edge ? scale : 2 * scale
                    dst[2 * k] = spectrum[2 * k] * w
                    dst[2 * k + 1] = edge ? 0 : spectrum[2 * k + 1] * w
                }
                (dst + 2 * used).update(repeating: 0, count: 2 * (m - used))
            }
        }
        return [gx]
    }
}

/// Causal long convolution through FFT of length 2L: u [B, C, L], k [C, L] ->
/// y[b, c, t] = sum_{s<=t} k[c, t-s] * u[b, c, s].
public func fftConv(_ u: Tensor, _ k: Tensor) -> Tensor {
    precondition(u.rank == 3 && k.rank == 2 && k.shape == [u.shape[1], u.shape[2]],
                 "fftConv needs u [B, C, L] and k [C, L], got \(u.shape) and \(k.shape)")
    let batch = u.shape[0], channels = u.shape[1], length = u.shape[2]
    precondition(length >= 1, "fftConv of an empty sequence")
    // Length 2L keeps the circular wrap-around out of the first L outputs.
    let n = 2 * length
    let fft = RealFFT(n: n), bins = fft.bins
    let scale = 1 / Float(n)
    let kSpectra = filterSpectra(k.pointer, channels: channels, length: length, rowStride: length, fft, scale: scale)
    let y = Tensor(uninitialized: u.shape)
    let pu = u.pointer
    convolveRows(pu, into: y.pointer, rows: batch * channels, length: length, rowStride: length, fft,
                 kSpectra.pointer, channels: channels)
    return y.recordingGrad([u, k]) { g in
        let du = u.requiresGrad ? Tensor(uninitialized: u.shape) : nil
        let dk = k.requiresGrad ? Tensor(uninitialized: k.shape) : nil
        // Captures the spectra tensor itself (not just its pointer) so its storage outlives the forward.
        let pg = g.pointer, pk = kSpectra.pointer
        // One channel per item: dk[c] sums over the batch, so a channel's rows stay on one thread.
        Parallel.forChunks(channels, grain: 1) { r in
            let s = FFTScratch(fft, spectra: 3)
            let gSpectrum = s.spectrum(0), work = s.spectrum(1), sum = s.spectrum(2)
            for c in r {
                sum.update(repeating: 0, count: 2 * bins)
                for b in 0..<batch {
                    let row = b * channels + c
                    loadPadded(s.real, n, from: pg + row * length, count: length)
                    fft.forward(s.real, gSpectrum)
                    if let du {
                        // du[s] = sum_{t>=s} k[t-s] g[t]: a correlation, so a product with conj(K).
                        complexProduct(work, gSpectrum, pk + c * 2 * bins, bins: bins, conjugateB: true, accumulate: false)
                        fft.inverse(work, s.real)
                        (du.pointer + row * length).update(from: s.real, count: length)
                    }
                    if dk != nil {
                        // dk[j] = sum_t g[t] u[t-j]: the correlation of g with u, summed over the batch.
                        loadPadded(s.real, n, from: pu + row * length, count: length)
                        fft.forward(s.real, work)
                        complexProduct(sum, gSpectrum, work, bins: bins, conjugateB: true, accumulate: true)
                    }
                }
                if let dk {
                    fft.inverse(sum, s.real)
                    let dst = dk.pointer + c * length
                    for j in 0..<length { dst[j] = s.real[j] * scale }
                }
            }
        }
        return [du, dk]
    }
}

/// dst[row] = causal conv of src[row] (rows of `length`, `rowStride` apart) with channel
/// row % channels of the filter spectra from `filterSpectra` (scale 1/n folded in). dst may be src.
func convolveRows(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, rows: Int, length: Int,
                  rowStride: Int, _ fft: RealFFT, _ kSpectra: UnsafePointer<Float>, channels: Int) {
    let n = fft.n, bins = fft.bins
    Parallel.forChunks(rows, grain: rowGrain(n)) { r in
        let s = FFTScratch(fft)
        let spectrum = s.spectrum()
        for row in r {
            loadPadded(s.real, n, from: src + row * rowStride, count: length)
            fft.forward(s.real, spectrum)
            complexProduct(spectrum, spectrum, kSpectra + (row % channels) * 2 * bins, bins: bins,
                           conjugateB: false, accumulate: false)
            fft.inverse(spectrum, s.real)
            (dst + row * rowStride).update(from: s.real, count: length)
        }
    }
}

/// Half spectra [C, bins, 2] of the zero-padded filters k [C, L] (rows `rowStride` apart),
/// times `scale` (the inverse transform's 1/n, folded in once here instead of once per row).
func filterSpectra(_ pk: UnsafePointer<Float>, channels: Int, length: Int, rowStride: Int,
                   _ fft: RealFFT, scale: Float) -> Tensor {
    let bins = fft.bins
    let spectra = Tensor(uninitialized: [channels, bins, 2])
    let ps = spectra.pointer
    Parallel.forChunks(channels, grain: rowGrain(fft.n)) { r in
        let s = FFTScratch(fft)
        let spectrum = s.spectrum()
        for c in r {
            loadPadded(s.real, fft.n, from: pk + c * rowStride, count: length)
            fft.forward(s.real, spectrum)
            let dst = ps + c * 2 * bins
            for i in 0..<(2 * bins) { dst[i] = spectrum[i] * scale }
        }
    }
    return spectra
}
