import Foundation
import SequoiaKit
import XCTest

/// The one line reader over plain, gzip and bgzip files: line endings, lines across chunks, and
/// truncated streams.
final class LineReaderTests: XCTestCase {
    private func write(_ bytes: [UInt8], mode: String?) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return try writeFile(bytes, to: path, mode: mode)
    }

    private func lines(_ path: String, chunk: Int = 1 << 20) throws -> [String] {
        let reader = try LineReader(path, chunk: chunk)
        var out: [String] = []
        while let line = try reader.next({ String(decoding: $0, as: UTF8.self) }) {
            out.append(line)
            XCTAssertEqual(reader.lineNumber, out.count)
        }
        return out
    }

    func testPlainGzipAndBgzipReadTheSameLines() throws {
        let text = Array("first\r\nsecond\n\nthird line, longer than a chunk\nlast without newline".utf8)
        let expected = ["first", "second", "", "third line, longer than a chunk", "last without newline"]
        for mode in [nil, "wg", "w"] {
            let path = try write(text, mode: mode)
            XCTAssertEqual(try lines(path), expected, mode ?? "plain")
            XCTAssertEqual(try lines(path, chunk: 4), expected, "\(mode ?? "plain") in 4-byte chunks")
        }
        XCTAssertEqual(try lines(try write([], mode: nil)), [])
    }

    func testMissingAndTruncatedFiles() throws {
        XCTAssertThrowsError(try LineReader("/nonexistent/file.txt")) {
            guard case CompressedFile.Failure.cannotOpen = $0 else { return XCTFail("\($0)") }
        }
        let gzip = try Data(contentsOf: URL(fileURLWithPath: try write(Array(String(repeating: "line of text\n", count: 4000).utf8), mode: "wg")))
        let cut = try write(Array(gzip.prefix(gzip.count / 2)), mode: nil)
        XCTAssertThrowsError(try lines(cut)) { XCTAssertEqual($0 as? CompressedFile.Failure, .truncated) }
        // A bgzip file cut at a block boundary still decompresses: its missing EOF block gives it away.
        let bgzip = try Data(contentsOf: URL(fileURLWithPath: try write(Array("one\ntwo\n".utf8), mode: "w")))
        let noEOF = try write(Array(bgzip.dropLast(28)), mode: nil)
        XCTAssertThrowsError(try LineReader(noEOF)) { XCTAssertEqual($0 as? CompressedFile.Failure, .truncated) }
    }
}
