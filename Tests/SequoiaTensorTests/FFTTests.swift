import Foundation
import SequoiaTensor
import XCTest

/// Direct DFT of each row of x [rows, length], zero-padded/truncated to n: [rows, n/2+1, 2].
private func directRFFT(_ x: [Double], rows: Int, length: Int, n: Int) -> [Double] {
    let bins = n / 2 + 1
    var out = [Double](repeating: 0, count: rows * bins * 2)
    for row in 0..<rows {
        for k in 0..<bins {
            var re = 0.0, im = 0.0
            for j in 0..<min(length, n) {
                let theta = -2 * Double.pi * Double(j * k) / Double(n)
                re += x[row * length + j] * cos(theta)
                im += x[row * length + j] * sin(theta)
            }
            out[(row * bins + k) * 2] = re
            out[(row * bins + k) * 2 + 1] = im
        }
    }
    return out
}

/// Direct Hermitian inverse of x [rows, m, 2] to length n, 1/n scaled: bins past m count as
/// zero, imaginary parts of DC and Nyquist are ignored.
private func directIRFFT(_ x: [Double], rows: Int, m: Int, n: Int) -> [Double] {
    var out = [Double](repeating: 0, count: rows * n)
    for row in 0..<rows {
        for j in 0..<n {
            var sum = 0.0
            for k in 0..<min(m, n / 2 + 1) {
                let re = x[(row * m + k) * 2], im = x[(row * m + k) * 2 + 1]
                let theta = 2 * Double.pi * Double(j * k) / Double(n)
                if k == 0 || 2 * k == n {
                    sum += re * cos(theta)
                } else {
                    sum += 2 * (re * cos(theta) - im * sin(theta))
                }
            }
            out[row * n + j] = sum / Double(n)
        }
    }
    return out
}

/// y[b, c, t] = sum_{s<=t} k[c, t-s] u[b, c, s].
private func directCausalConv(_ u: [Double], _ k: [Double], batch: Int, channels: Int, length: Int) -> [Double] {
    var y = [Double](repeating: 0, count: batch * channels * length)
    for b in 0..<batch {
        for c in 0..<channels {
            let row = (b * channels + c) * length
            for t in 0..<length {
                var sum = 0.0
                for s in 0...t { sum += k[c * length + t - s] * u[row + s] }
                y[row + t] = sum
            }
        }
    }
    return y
}

final class FFTTests: XCTestCase {
    private func checkRFFT(_ shape: [Int], n: Int?, line: UInt = #line) {
        let length = shape.last!, rows = shape.dropLast().reduce(1, *)
        checkOp("rfft \(shape) n=\(n ?? length)", shapes: [shape], op: { rfft($0[0], n: n) },
                reference: { x in directRFFT(x[0], rows: rows, length: length, n: n ?? length) }, line: line)
    }

    func testRFFTEvenLength() { checkRFFT([3, 8], n: nil) }
    func testRFFTOddLength() { checkRFFT([2, 7], n: nil) }
    func testRFFTPadded() { checkRFFT([2, 5], n: 8) }
    func testRFFTPaddedOdd() { checkRFFT([4], n: 9) }
    func testRFFTTruncated() { checkRFFT([2, 2, 9], n: 6) }
    func testRFFTLengthOne() { checkRFFT([3, 1], n: nil) }

    func testRFFTShape() {
        XCTAssertEqual(rfft(Tensor.zeros([2, 3, 10])).shape, [2, 3, 6, 2])
        XCTAssertEqual(rfft(Tensor.zeros([5]), n: 7).shape, [4, 2])
    }

    private func checkIRFFT(_ shape: [Int], n: Int, line: UInt = #line) {
        let m = shape[shape.count - 2], rows = shape.dropLast(2).reduce(1, *)
        checkOp("irfft \(shape) n=\(n)", shapes: [shape], op: { irfft($0[0], n: n) },
                reference: { x in directIRFFT(x[0], rows: rows, m: m, n: n) }, line: line)
    }

    func testIRFFTEven() { checkIRFFT([2, 5, 2], n: 8) }
    func testIRFFTOdd() { checkIRFFT([2, 5, 2], n: 9) }
    func testIRFFTPaddedSpectrum() { checkIRFFT([3, 3, 2], n: 10) }
    func testIRFFTTruncatedSpectrum() { checkIRFFT([2, 7, 2], n: 6) }
    func testIRFFTLengthOne() { checkIRFFT([2, 1, 2], n: 1) }

    func testRoundTrip() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.randn([2, 1000], rng: &rng, requiresGrad: true)
        let y = irfft(rfft(x), n: 1000)
        assertClose(y.scalars.map(Double.init), x.scalars.map(Double.init), tolerance: 1e-5, "round trip")
        // The composition is the identity, so its gradient passes the upstream gradient through.
        let upstream = Tensor.randn([2, 1000], rng: &rng)
        y.backward(upstream)
        assertClose(x.grad!.scalars.map(Double.init), upstream.scalars.map(Double.init), tolerance: 1e-5,
                    "round trip gradient")
    }

    private func checkFFTConv(batch: Int, channels: Int, length: Int, line: UInt = #line) {
        checkOp("fftConv L=\(length)", shapes: [[batch, channels, length], [channels, length]],
                op: { fftConv($0[0], $0[1]) },
                reference: { x in directCausalConv(x[0], x[1], batch: batch, channels: channels, length: length) },
                line: line)
    }

    func testFFTConvLengthOne() { checkFFTConv(batch: 2, channels: 3, length: 1) }
    func testFFTConvLengthFive() { checkFFTConv(batch: 2, channels: 3, length: 5) }
    func testFFTConvLength64() { checkFFTConv(batch: 2, channels: 2, length: 64) }

    /// At L = 300 the finite-difference check is too slow, so the gradients are compared with
    /// their direct sums: du[s] = sum_{t>=s} k[t-s] g[t], dk[j] = sum_b sum_t g[t] u[t-j].
    func testFFTConvLongAgainstDirectSums() {
        let batch = 2, channels = 3, length = 300
        var rng = RandomGenerator(seed: 11)
        let u = Tensor.uniform([batch, channels, length], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let k = Tensor.uniform([channels, length], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let g = Tensor.uniform([batch, channels, length], low: -1, high: 1, rng: &rng)
        let u64 = u.scalars.map(Double.init), k64 = k.scalars.map(Double.init), g64 = g.scalars.map(Double.init)

        let y = fftConv(u, k)
        let yRef = directCausalConv(u64, k64, batch: batch, channels: channels, length: length)
        assertClose(y.scalars.map(Double.init), yRef, tolerance: 1e-5, "fftConv L=300 forward")

        y.backward(g)
        var du = [Double](repeating: 0, count: u.count), dk = [Double](repeating: 0, count: k.count)
        for b in 0..<batch {
            for c in 0..<channels {
                let row = (b * channels + c) * length
                for t in 0..<length {
                    for s in 0...t {
                        du[row + s] += k64[c * length + t - s] * g64[row + t]
                        dk[c * length + t - s] += g64[row + t] * u64[row + s]
                    }
                }
            }
        }
        assertClose(u.grad!.scalars.map(Double.init), du, tolerance: 1e-5, "fftConv L=300 du")
        assertClose(k.grad!.scalars.map(Double.init), dk, tolerance: 1e-5, "fftConv L=300 dk")
    }

    func testFFTConvGradientOnlyForInput() {
        var rng = RandomGenerator(seed: 5)
        let u = Tensor.uniform([1, 2, 16], low: -1, high: 1, rng: &rng, requiresGrad: true)
        let k = Tensor.uniform([2, 16], low: -1, high: 1, rng: &rng)
        let withK = Tensor(shape: k.shape, scalars: k.scalars, requiresGrad: true)
        let g = Tensor.uniform([1, 2, 16], low: -1, high: 1, rng: &rng)
        fftConv(u, k).backward(g)
        let expected = u.grad!.scalars
        u.zeroGrad()
        fftConv(u, withK).backward(g)
        XCTAssertNil(k.grad)
        XCTAssertEqual(u.grad!.scalars, expected)
    }
}
