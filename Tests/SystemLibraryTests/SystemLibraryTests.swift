import CBLAS
import CFFTW
import CFFmpeg
import CHDF5
import CHTSlib
import XCTest

/// Each C library links and its macro shims return what the C headers define.
final class SystemLibraryTests: XCTestCase {
    func testOpenBLASComputesAProduct() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
        var c = [Float](repeating: 0, count: 4)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 2, 1, a, 2, b, 2, 0, &c, 2)
        XCTAssertEqual(c, [19, 22, 43, 50])
    }

    func testFFTWTransformsAnImpulse() {
        let n = 8
        let input = fftwf_alloc_real(n)!, output = fftwf_alloc_complex(n / 2 + 1)!
        defer { fftwf_free(input); fftwf_free(output) }
        let plan = fftwf_plan_dft_r2c_1d(Int32(n), input, output, UInt32(FFTW_ESTIMATE))
        defer { fftwf_destroy_plan(plan) }
        for i in 0..<n { input[i] = i == 1 ? 1 : 0 }
        fftwf_execute(plan)
        // The DFT of a unit impulse at 1 is e^{-2 pi i k / n}.
        let re = Float(cos(-2 * Double.pi / Double(n))), im = Float(sin(-2 * Double.pi / Double(n)))
        XCTAssertEqual(output[1].0, re, accuracy: 1e-6)
        XCTAssertEqual(output[1].1, im, accuracy: 1e-6)
    }

    func testHtslibReportsAVersion() {
        let version = String(cString: hts_version())
        XCTAssertTrue(version.first?.isNumber ?? false, version)
    }

    func testHDF5ShimsMatchTheLibrary() {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        XCTAssertGreaterThanOrEqual(H5get_libversion(&major, &minor, &release), 0)
        XCTAssertGreaterThanOrEqual(major, 1)
        XCTAssertEqual(H5Tget_size(sequoia_H5T_NATIVE_FLOAT()), 4)
        XCTAssertEqual(H5Tget_size(sequoia_H5T_NATIVE_INT64()), 8)
        XCTAssertEqual(sequoia_H5P_DEFAULT(), 0)
    }

    func testFFmpegShims() {
        XCTAssertGreaterThan(avformat_version(), 0)
        XCTAssertEqual(sequoia_AVERROR_EAGAIN(), -EAGAIN)
        XCTAssertEqual(sequoia_AVERROR(EINVAL), -EINVAL)
        // AVERROR_EOF is FFERRTAG('E','O','F',' ') negated.
        XCTAssertEqual(sequoia_AVERROR_EOF(), -Int32(bitPattern: 0x20464F45))
    }
}
