import Foundation
import SequoiaParquet
import XCTest

/// Damaged files end in one-line `ParquetError`s that name the file and, where known, the row group,
/// column and page; no damage crashes the reader.
final class ParquetBadInputTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: directory)
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.path("parquet/\(name)"))))
    }

    private func write(_ bytes: [UInt8], as name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Opens the file and reads every column of every row group, failing on anything but a `ParquetError`.
    private func readAll(_ path: String) -> ParquetError? {
        do {
            let file = try ParquetFile(path: path)
            for group in 0..<file.rowGroupCount {
                for column in file.columns { _ = try file.read(column: column.name, rowGroup: group) }
            }
            return nil
        } catch let error as ParquetError {
            return error
        } catch {
            XCTFail("\(path): \(error) is not a ParquetError")
            return nil
        }
    }

    private func assertError(_ path: String, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let error = readAll(path) else { return XCTFail("\(path) read without error", file: file, line: line) }
        let message = error.description
        XCTAssertFalse(message.contains("\n"), message, file: file, line: line)
        for part in [URL(fileURLWithPath: path).lastPathComponent] + parts {
            XCTAssertTrue(message.contains(part), "\(message) lacks \(part)", file: file, line: line)
        }
    }

    func testTruncatedFiles() throws {
        let bytes = try fixture("pyarrow_v1_dict_zstd.parquet")
        assertError(try write(Array(bytes.prefix(bytes.count / 2)), as: "half.parquet"), contains: ["truncated"])
        assertError(try write(Array(bytes.prefix(7)), as: "tiny.parquet"), contains: ["too short"])
        assertError(try write([], as: "empty.parquet"), contains: ["too short"])
    }

    func testBadMagic() throws {
        var bytes = try fixture("pyarrow_v1_dict_snappy.parquet")
        bytes[0] = UInt8(ascii: "X")
        assertError(try write(bytes, as: "magic.parquet"), contains: ["not a Parquet file"])
    }

    func testFooterLengthPastTheStart() throws {
        var bytes = try fixture("pyarrow_v1_dict_snappy.parquet")
        let length = UInt32(bytes.count).littleEndian
        withUnsafeBytes(of: length) { bytes.replaceSubrange(bytes.count - 8..<bytes.count - 4, with: $0) }
        assertError(try write(bytes, as: "footer.parquet"), contains: ["footer length", "runs past the start"])
    }

    func testFooterThatLiesAboutWhereChunksAre() throws {
        // Cutting bytes out of the middle keeps a valid footer whose later chunk offsets now point past the data.
        let bytes = try fixture("pyarrow_v1_dict_none.parquet")
        let footerLength = bytes[(bytes.count - 8)..<(bytes.count - 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let footerStart = bytes.count - 8 - footerLength
        let cut = Array(bytes[0..<footerStart / 2] + bytes[(footerStart * 3 / 4)...])
        guard let error = readAll(try write(cut, as: "cut.parquet")) else { return XCTFail("cut file read") }
        XCTAssertTrue(error.description.hasPrefix(directory.appendingPathComponent("cut.parquet").path), error.description)
        XCTAssertTrue(error.description.contains(": row group "), error.description)
        XCTAssertTrue(error.description.contains(", column "), error.description)
    }

    func testMissingColumnAndRowGroup() throws {
        let file = try ParquetFile(path: TestData.path("parquet/pyarrow_v1_dict_snappy.parquet"))
        XCTAssertThrowsError(try file.read(column: "nope", rowGroup: 1)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("pyarrow_v1_dict_snappy.parquet: row group 1, column nope: no such column"), message)
            XCTAssertTrue(message.contains("i32, i64"), message)
        }
        XCTAssertThrowsError(try file.read(column: "i32", rowGroup: 3)) { error in
            XCTAssertTrue("\(error)".contains("row group 3, column i32: no such row group (file has 3)"), "\(error)")
        }
        XCTAssertNil(file.column(named: "nope"))
        XCTAssertEqual(file.column(named: "text")?.kind, .string)
    }

    func testMissingFile() {
        XCTAssertThrowsError(try ParquetFile(path: directory.appendingPathComponent("absent.parquet").path)) { error in
            XCTAssertTrue("\(error)".contains("absent.parquet: cannot read"), "\(error)")
        }
    }

    /// Flipping each byte in turn: every result is a correct read or a ParquetError, and damage to the
    /// compressed page is reported by the codec with the row group, column and page.
    func testEveryCorruptedByteOfACompressedPageIsCaught() throws {
        for (codec, failure) in [("snappy", "snappy"), ("zstd", "zstd")] {
            let name = "one_column_\(codec).parquet"
            let original = try fixture(name)
            let expected = try ParquetFile(path: TestData.path("parquet/\(name)")).read(column: "value", rowGroup: 0)
            var codecFailures = 0
            for position in original.indices {
                var bytes = original
                bytes[position] ^= 0xFF
                let path = try write(bytes, as: name)
                guard let error = readAll(path) else {
                    // Some bytes (statistics, metadata strings, literal data) may change without breaking the file.
                    continue
                }
                XCTAssertTrue(error.description.hasPrefix(path), error.description)
                XCTAssertFalse(error.description.contains("\n"), error.description)
                if error.description.contains("\(failure) data is corrupt") || error.description.contains("\(failure) page decompresses") {
                    XCTAssertTrue(error.description.contains("row group 0, column value, page 0: "), error.description)
                    codecFailures += 1
                }
            }
            XCTAssertGreaterThan(codecFailures, 0, codec)
            XCTAssertEqual(expected.count, 200)
        }
    }
}
