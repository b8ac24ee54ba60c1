// STUB: owned by helper H4; replace every body.
/// Real FFT along the last axis, zero-padded (or truncated) to n (default: the axis length).
/// Output [..., n/2+1, 2]: real and imaginary parts interleaved (torch.view_as_real layout).
public func rfft(_ x: Tensor, n: Int? = nil) -> Tensor { fatalError("unimplemented") }
/// Inverse of rfft: x [..., m, 2] complex half-spectrum -> [..., n] real, scaled by 1/n
/// (torch.fft.irfft's default "backward" norm).
public func irfft(_ x: Tensor, n: Int) -> Tensor { fatalError("unimplemented") }
/// Causal long convolution through FFT of length 2L: u [B, C, L], k [C, L] ->
/// y[b, c, t] = sum_{s<=t} k[c, t-s] * u[b, c, s].
public func fftConv(_ u: Tensor, _ k: Tensor) -> Tensor { fatalError("unimplemented") }
