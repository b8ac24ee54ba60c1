/// Hyena's gated long convolution as one op on the channels-last u [B, L, 3d]: the gate
/// product is formed while u is gathered into per-channel rows, the rows go through the FFT
/// causal convolution of `fftConv` in place, and the skip term and output gate are applied
/// while scattering back. Gathers and scatters walk tiles of `timeTile` steps so both the
/// channels-last rows and the per-channel rows stay in L1.

/// Time steps per tile: 16 floats fill a 64-byte line of a per-channel row.
private let timeTile = 16

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
    let stride = rowStride(length)
    let kRows = Tensor(uninitialized: [d, stride])
    let pk = k.pointer
    gatherRows(batch: 1, length: length, channels: d, rowStride: stride, into: kRows.pointer, pk, d)
    let kSpectra = filterSpectra(kRows.pointer, channels: d, length: length, rowStride: stride, fft, scale: scale)
    let skip = bias ?? Tensor.zeros([d])

    // z rows [B, d, L] (`stride` apart), convolved in place.
    let rows = Tensor(uninitialized: [batch, d, stride])
    let pu = u.pointer, pr = rows.pointer, pb = skip.pointer
    let width = 3 * d
    gatherRows(batch: batch, length: length, channels: d, rowStride: stride, into: pr, pu + 2 * d, width, times: pu + d, width)
    convolveRows(pr, into: pr, rows: batch * d, length: length, rowStride: stride, fft, kSpectra.pointer, channels: d)
    let y = Tensor(uninitialized: [batch, length, d])
    let py = y.pointer
    scatterRows(batch: batch, length: length, channels: d, rowStride: stride) { b, t, c0, c1, at in
        let row = pu + (b * length + t) * width, out = py + (b * length + t) * d, conv = pr + at
        for c in c0..<c1 {
            out[c] = row[c] * (conv[c * stride] + pb[c] * (row[2 * d + c] * row[d + c]))
        }
    }

    let inputs = bias.map { [u, k, $0] } ?? [u, k]
    return y.recordingGrad(inputs) { g in
        let du = u.requiresGrad ? Tensor(uninitialized: u.shape) : nil
        let dk = k.requiresGrad ? Tensor(uninitialized: k.shape) : nil
        let dbias = bias?.requiresGrad == true ? Tensor(uninitialized: [d]) : nil
        let pu = u.pointer, pb = skip.pointer, pg = g.pointer, pk = kSpectra.pointer
        // gw = g * x0 and z as rows [B, d, L]; with du they become dz and w in place.
        let gRows = Tensor(uninitialized: [batch, d, stride]), zRows = Tensor(uninitialized: [batch, d, stride])
        let pgr = gRows.pointer, pzr = zRows.pointer
        gatherRows(batch: batch, length: length, channels: d, rowStride: stride, into: pgr, pg, d, times: pu, width)
        gatherRows(batch: batch, length: length, channels: d, rowStride: stride, into: pzr, pu + 2 * d, width, times: pu + d, width)
        let dkRows = dk != nil ? Tensor(uninitialized: [d, stride]) : nil
        // One channel per item: dk and dbias sum over the batch, so a channel's rows stay on one thread.
        Parallel.forChunks(d, grain: max(1, rowGrain(n) / batch)) { r in
            let s = FFTScratch(fft, spectra: 3)
            let gSpectrum = s.spectrum(0), zSpectrum = s.spectrum(1), sum = s.spectrum(2)
            for c in r {
                let kc = pk + c * 2 * bins, w = pb[c]
                var dot: Float = 0
                for b in 0..<batch {
                    let gw = pgr + (b * d + c) * stride, z = pzr + (b * d + c) * stride
                    if dbias != nil {
                        for t in 0..<length { dot += gw[t] * z[t] }
                    }
                    loadPadded(s.real, n, from: gw, count: length)
                    fft.forward(s.real, gSpectrum)
                    loadPadded(s.real, n, from: z, count: length)
                    fft.forward(s.real, zSpectrum)
                    if dk != nil {
                        // dk[j] = sum_t gw[t] z[t-j]: the correlation of gw with z, summed over the batch.
                        complexProduct(sum, gSpectrum, zSpectrum, bins: bins, conjugateB: true, accumulate: b > 0)
                    }
                    if du != nil {
                        // w = conv(z, k) + bias z (for dx0); dz = corr(gw, k) + bias gw, where
                        // corr(gw, k)[s] = sum_{t>=s} k[t-s] gw[t] is a product with conj(K).
                        complexProduct(zSpectrum, zSpectrum, kc, bins: bins, conjugateB: false, accumulate: false)
                        fft.inverse(zSpectrum, s.real)
                        for t in 0..<length { z[t] = s.real[t] + w * z[t] }
                        complexProduct(gSpectrum, gSpectrum, kc, bins: bins, conjugateB: true, accumulate: false)
                        fft.inverse(gSpectrum, s.real)
                        for t in 0..<length { gw[t] = s.real[t] + w * gw[t] }
                    }
                }
                if let dkRows {
                    fft.inverse(sum, s.real)
                    let dst = dkRows.pointer + c * stride
                    for t in 0..<length { dst[t] = s.real[t] * scale }
                }
                dbias?.pointer[c] = dot
            }
        }
        if let du {
            let pdu = du.pointer
            scatterRows(batch: batch, length: length, channels: d, rowStride: stride) { b, t, c0, c1, at in
                let row = pu + (b * length + t) * width, out = pdu + (b * length + t) * width
                let grad = pg + (b * length + t) * d
                let wColumn = pzr + at, dzColumn = pgr + at
                for c in c0..<c1 {
                    let dz = dzColumn[c * stride]
                    out[c] = grad[c] * wColumn[c * stride]
                    out[d + c] = dz * row[2 * d + c]
                    out[2 * d + c] = dz * row[d + c]
                }
            }
        }
        if let dk, let dkRows {
            let pdk = dk.pointer
            let src = dkRows.pointer
            scatterRows(batch: 1, length: length, channels: d, rowStride: stride) { _, t, c0, c1, at in
                for c in c0..<c1 { pdk[t * d + c] = src[at + c * stride] }
            }
        }
        return bias == nil ? [du, dk] : [du, dk, dbias]
    }
}

/// Channels per block in the tiled loops, bounding the lines of the per-channel rows a tile
/// touches (256 x 64 bytes).
private let channelTile = 256

/// Tiles (b, time tile) per parallel chunk: about 32K elements of a [16, channels] tile.
@inline(__always)
private func tileGrain(_ channels: Int) -> Int { max(1, (1 << 15) / (timeTile * channels)) }

/// Distance between per-channel rows of `length`: whole cache lines plus one, so that the
/// lines a time tile touches in successive rows fall in different cache sets (a power-of-two
/// stride would map them all to one set).
@inline(__always)
private func rowStride(_ length: Int) -> Int { (length + 15) / 16 * 16 + 16 }

/// dst[(b * channels + c) * rowStride + t] = a[i * aStride + c] (times b[i * bStride + c] when
/// given), i = b * length + t: channels-last values gathered into per-channel rows
/// [batch, channels, rowStride], one time tile at a time.
private func gatherRows(batch: Int, length: Int, channels: Int, rowStride: Int, into dst: UnsafeMutablePointer<Float>,
                        _ a: UnsafePointer<Float>, _ aStride: Int, times b: UnsafePointer<Float>? = nil, _ bStride: Int = 0) {
    let tiles = (length + timeTile - 1) / timeTile
    Parallel.forChunks(batch * tiles, grain: tileGrain(channels)) { r in
        for item in r {
            let batchIndex = item / tiles, t0 = (item % tiles) * timeTile, t1 = min(t0 + timeTile, length)
            let first = batchIndex &* length
            for c in 0..<channels {
                let out = dst + (batchIndex * channels + c) * rowStride
                if let b {
                    for t in t0..<t1 { out[t] = a[(first &+ t) &* aStride &+ c] * b[(first &+ t) &* bStride &+ c] }
                } else {
                    for t in t0..<t1 { out[t] = a[(first &+ t) &* aStride &+ c] }
                }
            }
        }
    }
}

/// Calls body(b, t, c0, c1, at) for every step t and channel block c0..<c1, time tile by time
/// tile, where per-channel rows [batch, channels, rowStride] hold (b, c, t) at `at + c * rowStride`.
@inline(__always)
private func scatterRows(batch: Int, length: Int, channels: Int, rowStride: Int,
                         _ body: (Int, Int, Int, Int, Int) -> Void) {
    let tiles = (length + timeTile - 1) / timeTile
    Parallel.forChunks(batch * tiles, grain: tileGrain(channels)) { r in
        for item in r {
            let b = item / tiles, t0 = (item % tiles) * timeTile, t1 = min(t0 + timeTile, length)
            for c0 in stride(from: 0, to: channels, by: channelTile) {
                let c1 = min(c0 + channelTile, channels)
                for t in t0..<t1 { body(b, t, c0, c1, b * channels * rowStride + t) }
            }
        }
    }
}
