import CBLAS
import CFFTW
import CFFmpeg
import CHDF5
import CHTSlib
import CSnappy
import CZlib
import CZstd
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

    /// Compressible bytes with some variety, for the codec round trips.
    private var sample: [UInt8] { (0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 13) } }

    func testZstdRoundTripAndShims() {
        let input = sample
        var compressed = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let size = ZSTD_compress(&compressed, compressed.count, input, input.count, 3)
        XCTAssertEqual(ZSTD_isError(size), 0)
        XCTAssertLessThan(size, input.count)
        XCTAssertEqual(ZSTD_getFrameContentSize(compressed, size), UInt64(input.count))
        var output = [UInt8](repeating: 0, count: input.count)
        XCTAssertEqual(ZSTD_decompress(&output, output.count, compressed, size), input.count)
        XCTAssertEqual(output, input)
        // The shims return the header's (0ULL - 1) and (0ULL - 2).
        XCTAssertEqual(sequoia_ZSTD_CONTENTSIZE_UNKNOWN(), UInt64.max)
        XCTAssertEqual(sequoia_ZSTD_CONTENTSIZE_ERROR(), UInt64.max - 1)
        XCTAssertEqual(ZSTD_getFrameContentSize(input, input.count), sequoia_ZSTD_CONTENTSIZE_ERROR())
    }

    func testSnappyRoundTrip() {
        let input = sample.map { CChar(bitPattern: $0) }
        var compressedLength = snappy_max_compressed_length(input.count)
        var compressed = [CChar](repeating: 0, count: compressedLength)
        XCTAssertEqual(snappy_compress(input, input.count, &compressed, &compressedLength), SNAPPY_OK)
        XCTAssertLessThan(compressedLength, input.count)
        var length = 0
        XCTAssertEqual(snappy_uncompressed_length(compressed, compressedLength, &length), SNAPPY_OK)
        XCTAssertEqual(length, input.count)
        var output = [CChar](repeating: 0, count: length)
        XCTAssertEqual(snappy_uncompress(compressed, compressedLength, &output, &length), SNAPPY_OK)
        XCTAssertEqual(output, input)
    }

    /// Deflates with the given window bits (15: zlib header, 15 + 16: gzip header) through the shim.
    private func deflated(_ input: [UInt8], windowBits: Int32) -> [UInt8] {
        var stream = z_stream()
        XCTAssertEqual(sequoia_deflateInit2(&stream, 6, windowBits), Z_OK)
        defer { deflateEnd(&stream) }
        var input = input
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 32)
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        XCTAssertEqual(status, Z_STREAM_END)
        return Array(output.prefix(Int(stream.total_out)))
    }

    func testZlibRoundTripsGzipAndZlibStreamsThroughTheShims() {
        let input = sample
        for windowBits: Int32 in [15, 15 + 16] {
            var compressed = deflated(input, windowBits: windowBits)
            XCTAssertLessThan(compressed.count, input.count)
            if windowBits > 15 { XCTAssertEqual(Array(compressed.prefix(2)), [0x1F, 0x8B]) }
            // windowBits 15 + 32 detects either header, as Parquet's GZIP pages need.
            var stream = z_stream()
            XCTAssertEqual(sequoia_inflateInit2(&stream, 15 + 32), Z_OK)
            var output = [UInt8](repeating: 0, count: input.count)
            let status = compressed.withUnsafeMutableBufferPointer { source in
                output.withUnsafeMutableBufferPointer { target in
                    stream.next_in = source.baseAddress
                    stream.avail_in = UInt32(source.count)
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return inflate(&stream, Z_FINISH)
                }
            }
            inflateEnd(&stream)
            XCTAssertEqual(status, Z_STREAM_END, "windowBits \(windowBits)")
            XCTAssertEqual(output, input, "windowBits \(windowBits)")
        }
    }
}
