/// Hyena's gated long convolution as one channels-last op: the gates, the skip term and the
/// FFT causal convolution of `fftConv` in a single pass over [B, L, 3d], with no transposes
/// and no full-size intermediates. Channels are handled in blocks of `channelBlock`: a block's
/// row segment is one cache line of u, gathered into per-channel FFT arrays and scattered back.

/// Channels per block: 16 floats fill a 64-byte line of each of x0, x1 and v.
private let channelBlock = 16

/// y = x0 * (causalconv(z, k) + bias * z) with z = v * x1, where u [B, L, 3d] holds x0, x1
/// and v (d channels each, in that order), k [L, d] is the filter and bias [d] the skip weight
/// (nil: no skip term). causalconv(z, k)[t] = sum_{s<=t} k[t-s] z[s] per channel.
public func hyenaGatedLongConv(_ u: Tensor, filter k: Tensor, bias: Tensor?) -> Tensor {
    precondition(u.rank == 3 && u.shape[2] % 3 == 0, "hyenaGatedLongConv needs u [B, L, 3d], got \(u.shape)")
    let batch = u.shape[0], length = u.shape[1], d = u.shape[2] / 3
    precondition(length >= 1 && d >= 1, "hyenaGatedLongConv of an empty input \(u.shape)")
    precondition(k.shape == [length, d], "filter \(k.shape) for u \(u.shape): want [\(length), \(d)]")
    if let bias { precondition(bias.shape == [d], "bias \(bias.shape) for \(d) channels") }
    // Length 2L keeps the circular wrap-around out of the first L outputs.
    let n = 2 * length
    let fft = RealFFT(n: n), bins = fft.bins, scale = 1 / Float(n)
    let kSpectra = channelsLastSpectra(k, fft, scale: scale)
    let skip = bias ?? Tensor.zeros([d])
    let blocks = (d + channelBlock - 1) / channelBlock
    let y = Tensor(uninitialized: [batch, length, d])
    let pu = u.pointer, pk = kSpectra.pointer, pb = skip.pointer, py = y.pointer
    Parallel.forChunks(batch * blocks, grain: blockGrain(n)) { r in
        let z = ChannelBlockScratch(fft), s = FFTScratch(fft)
        let spectrum = s.spectrum()
        for item in r {
            let b = item / blocks, c0 = (item % blocks) * channelBlock, cb = min(channelBlock, d - c0)
            let rows = pu + b * length * 3 * d + c0
            z.gather(channels: cb, length: length) { t, j in
                let row = rows + t * 3 * d
                return row[2 * d + j] * row[d + j]
            }
            for j in 0..<cb {
                fft.forward(z.real(j), spectrum)
                complexProduct(spectrum, spectrum, pk + (c0 + j) * 2 * bins, bins: bins, conjugateB: false, accumulate: false)
                fft.inverse(spectrum, z.real(j))
            }
            let conv = z.reals
            for t in 0..<length {
                let row = rows + t * 3 * d, out = py + (b * length + t) * d + c0
                for j in 0..<cb {
                    out[j] = row[j] * (conv[j][t] + pb[c0 + j] * (row[2 * d + j] * row[d + j]))
                }
            }
        }
    }
    let inputs = bias.map { [u, k, $0] } ?? [u, k]
    return y.recordingGrad(inputs) { g in
        let du = u.requiresGrad ? Tensor(uninitialized: u.shape) : nil
        let dk = k.requiresGrad ? Tensor(uninitialized: k.shape) : nil
        let dbias = bias?.requiresGrad == true ? Tensor(uninitialized: [d]) : nil
        // Captures the spectra tensor itself (not just its pointer) so its storage outlives the forward.
        let pu = u.pointer, pk = kSpectra.pointer, pb = skip.pointer, pg = g.pointer
        // One block of channels per item: dk and dbias sum over the batch, so a block's rows stay on one thread.
        Parallel.forChunks(blocks, grain: max(1, blockGrain(n) / max(batch, 1))) { r in
            // Per channel: gw = g * x0 and z (reals), the running dk spectrum; two shared spectra.
            let gw = ChannelBlockScratch(fft, spectra: 1), z = ChannelBlockScratch(fft), s = FFTScratch(fft, spectra: 2)
            let gSpectrum = s.spectrum(0), zSpectrum = s.spectrum(1)
            var biasSums = [Float](repeating: 0, count: channelBlock)
            for block in r {
                let c0 = block * channelBlock, cb = min(channelBlock, d - c0)
                for j in 0..<cb { biasSums[j] = 0 }
                for b in 0..<batch {
                    let rows = pu + b * length * 3 * d + c0, grads = pg + b * length * d + c0
                    gw.gather(channels: cb, length: length) { t, j in grads[t * d + j] * rows[t * 3 * d + j] }
                    z.gather(channels: cb, length: length) { t, j in
                        let row = rows + t * 3 * d
                        return row[2 * d + j] * row[d + j]
                    }
                    if dbias != nil {
                        for j in 0..<cb {
                            let a = gw.real(j), c = z.real(j)
                            var sum: Float = 0
                            for t in 0..<length { sum += a[t] * c[t] }
                            biasSums[j] += sum
                        }
                    }
                    for j in 0..<cb {
                        let kj = pk + (c0 + j) * 2 * bins
                        fft.forward(gw.real(j), gSpectrum)
                        fft.forward(z.real(j), zSpectrum)
                        if dk != nil {
                            // dk[s] = sum_t gw[t] z[t-s]: the correlation of gw with z, summed over the batch.
                            complexProduct(gw.spectrum(j), gSpectrum, zSpectrum, bins: bins, conjugateB: true, accumulate: b > 0)
                        }
                        if du != nil {
                            // conv(z, k) again (for dx0), and corr(gw, k)[s] = sum_{t>=s} k[t-s] gw[t] (for dz).
                            complexProduct(zSpectrum, zSpectrum, kj, bins: bins, conjugateB: false, accumulate: false)
                            fft.inverse(zSpectrum, z.real(j))
                            complexProduct(gSpectrum, gSpectrum, kj, bins: bins, conjugateB: true, accumulate: false)
                            fft.inverse(gSpectrum, gw.real(j))
                        }
                    }
                    if let du {
                        let conv = z.reals, corr = gw.reals, pdu = du.pointer
                        for t in 0..<length {
                            let row = rows + t * 3 * d, grad = grads + t * d
                            let out = pdu + (b * length + t) * 3 * d + c0
                            for j in 0..<cb {
                                let x0 = row[j], x1 = row[d + j], v = row[2 * d + j], w = pb[c0 + j]
                                let dz = corr[j][t] + w * grad[j] * x0
                                out[j] = grad[j] * (conv[j][t] + w * v * x1)
                                out[d + j] = dz * v
                                out[2 * d + j] = dz * x1
                            }
                        }
                    }
                }
                if let dk {
                    for j in 0..<cb { fft.inverse(gw.spectrum(j), z.real(j)) }
                    let conv = z.reals, pdk = dk.pointer + c0
                    for t in 0..<length {
                        for j in 0..<cb { pdk[t * d + j] = conv[j][t] * scale }
                    }
                }
                if let dbias {
                    for j in 0..<cb { dbias.pointer[c0 + j] = biasSums[j] }
                }
            }
        }
        return bias == nil ? [du, dk] : [du, dk, dbias]
    }
}

/// Work items (blocks of channels) per parallel chunk for transforms of length n.
@inline(__always)
private func blockGrain(_ n: Int) -> Int { max(1, rowGrain(n) / channelBlock) }

/// Half spectra [C, bins, 2] of the zero-padded filters k [L, C] (channels last), times `scale`
/// (the inverse transform's 1/n, folded in once here instead of once per row).
private func channelsLastSpectra(_ k: Tensor, _ fft: RealFFT, scale: Float) -> Tensor {
    let length = k.shape[0], channels = k.shape[1], bins = fft.bins
    let spectra = Tensor(uninitialized: [channels, bins, 2])
    let pk = k.pointer, ps = spectra.pointer
    let blocks = (channels + channelBlock - 1) / channelBlock
    Parallel.forChunks(blocks, grain: blockGrain(fft.n)) { r in
        let columns = ChannelBlockScratch(fft, spectra: 1)
        for block in r {
            let c0 = block * channelBlock, cb = min(channelBlock, channels - c0)
            columns.gather(channels: cb, length: length) { t, j in pk[t * channels + c0 + j] }
            for j in 0..<cb {
                let spectrum = columns.spectrum(j)
                fft.forward(columns.real(j), spectrum)
                let dst = ps + (c0 + j) * 2 * bins
                for i in 0..<(2 * bins) { dst[i] = spectrum[i] * scale }
            }
        }
    }
    return spectra
}

/// Per-thread FFT arrays for one block of channels (an `FFTScratch` each), with a table of
/// their real arrays for the gather and scatter loops.
private final class ChannelBlockScratch {
    private let channels: [FFTScratch]
    let reals: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    private let n: Int

    init(_ fft: RealFFT, spectra: Int = 0) {
        n = fft.n
        channels = (0..<channelBlock).map { _ in FFTScratch(fft, spectra: spectra) }
        reals = .allocate(capacity: channelBlock)
        for j in 0..<channelBlock { reals[j] = channels[j].real }
    }

    deinit { reals.deallocate() }

    @inline(__always)
    func real(_ j: Int) -> UnsafeMutablePointer<Float> { reals[j] }

    func spectrum(_ j: Int) -> UnsafeMutablePointer<Float> { channels[j].spectrum() }

    /// real(j)[t] = value(t, j) for t < length and j < cb, zero from length up to n. Channel j
    /// is innermost, so a block reads whole cache lines of a channels-last tensor.
    @inline(__always)
    func gather(channels cb: Int, length: Int, _ value: (Int, Int) -> Float) {
        for t in 0..<length {
            for j in 0..<cb { reals[j][t] = value(t, j) }
        }
        for j in 0..<cb { (reals[j] + length).update(repeating: 0, count: n - length) }
    }
}
