import CFFTW
import Foundation

/// FFTW plans cached by (length, direction). Executing a plan is thread-safe but planning is
/// not, so every plan is made under one lock and then shared by all threads for the life of
/// the process. Plans are made for out-of-place transforms between `fftwf_malloc`'d arrays;
/// `FFTScratch` provides arrays of the same alignment, as FFTW's new-array execute requires.
final class FFTPlans: @unchecked Sendable {
    static let shared = FFTPlans()

    enum Kind: Hashable { case realToComplex, complexToReal }
    private struct Key: Hashable { let n: Int, kind: Kind }

    private var plans: [Key: OpaquePointer] = [:]
    private let lock = NSLock()

    func plan(n: Int, kind: Kind) -> OpaquePointer {
        precondition(n >= 1 && n <= Int(Int32.max), "FFT length \(n)")
        lock.lock()
        defer { lock.unlock() }
        let key = Key(n: n, kind: kind)
        if let p = plans[key] { return p }
        // FFTW_ESTIMATE never touches the arrays, so planning needs no real data.
        let real = fftwf_malloc(n * 4)!.bindMemory(to: Float.self, capacity: n)
        let spectrum = fftwf_malloc((n / 2 + 1) * 8)!.bindMemory(to: fftwf_complex.self, capacity: n / 2 + 1)
        defer { fftwf_free(real); fftwf_free(spectrum) }
        let flags = UInt32(FFTW_ESTIMATE)
        let made: OpaquePointer? = kind == .realToComplex
            ? fftwf_plan_dft_r2c_1d(Int32(n), real, spectrum, flags)
            : fftwf_plan_dft_c2r_1d(Int32(n), spectrum, real, flags)
        guard let made else { fatalError("FFTW could not plan a transform of length \(n)") }
        plans[key] = made
        return made
    }
}

/// A real transform of length n: the forward half spectrum has n/2+1 interleaved (re, im) bins.
struct RealFFT {
    let n: Int
    var bins: Int { n / 2 + 1 }
    private let r2c: OpaquePointer
    private let c2r: OpaquePointer

    init(n: Int) {
        self.n = n
        r2c = FFTPlans.shared.plan(n: n, kind: .realToComplex)
        c2r = FFTPlans.shared.plan(n: n, kind: .complexToReal)
    }

    /// spectrum[k] = sum_j real[j] e^{-2 pi i jk/n}, k = 0...n/2. Both arrays from `FFTScratch`.
    @inline(__always)
    func forward(_ real: UnsafeMutablePointer<Float>, _ spectrum: UnsafeMutablePointer<Float>) {
        fftwf_execute_dft_r2c(r2c, real, UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: fftwf_complex.self))
    }

    /// Unnormalised inverse of the Hermitian spectrum (imaginary parts of DC and Nyquist are
    /// ignored). Destroys `spectrum`. Both arrays from `FFTScratch`.
    @inline(__always)
    func inverse(_ spectrum: UnsafeMutablePointer<Float>, _ real: UnsafeMutablePointer<Float>) {
        fftwf_execute_dft_c2r(c2r, UnsafeMutableRawPointer(spectrum).assumingMemoryBound(to: fftwf_complex.self), real)
    }
}

/// Per-thread work arrays for one `RealFFT`: a real array of n floats and `spectra` half
/// spectra of n/2+1 complex bins, all SIMD-aligned by `fftwf_malloc`. Made once per parallel
/// chunk, never per row.
final class FFTScratch {
    let real: UnsafeMutablePointer<Float>
    private let spectra: [UnsafeMutablePointer<Float>]

    init(_ fft: RealFFT, spectra count: Int = 1) {
        real = fftwf_malloc(fft.n * 4)!.bindMemory(to: Float.self, capacity: fft.n)
        spectra = (0..<count).map { _ in
            fftwf_malloc(fft.bins * 8)!.bindMemory(to: Float.self, capacity: 2 * fft.bins)
        }
    }

    /// The i-th half-spectrum array (interleaved re, im).
    func spectrum(_ i: Int = 0) -> UnsafeMutablePointer<Float> { spectra[i] }

    deinit {
        fftwf_free(real)
        for s in spectra { fftwf_free(s) }
    }
}
