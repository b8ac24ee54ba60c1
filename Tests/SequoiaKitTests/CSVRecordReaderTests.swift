import Foundation
import SequoiaKit
import XCTest

/// The one table reader: quoting, line numbers across quoted newlines, delimiters, gzip and its errors.
final class CSVRecordReaderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    private func records(_ path: String) throws -> [(line: Int, fields: [String])] {
        let reader = try CSVRecordReader(path)
        var out: [(Int, [String])] = []
        while try reader.next() { out.append((reader.line, (0..<reader.fieldCount).map(reader.string))) }
        return out
    }

    func testQuotedFieldsAndLineNumbers() throws {
        let path = try write("q.csv", "\u{FEFF}a, b\r\n\"x, \"\"y\"\"\",2\r\n\n\"multi\nline\",\"\"\n3,\"end\"")
        let reader = try CSVRecordReader(path)
        XCTAssertEqual(reader.header, ["a", "b"])
        let rows = try records(path)
        XCTAssertEqual(rows.map(\.fields), [["x, \"y\"", "2"], ["multi\nline", ""], ["3", "end"]])
        XCTAssertEqual(rows.map(\.line), [2, 4, 6])
    }

    func testDelimiterFromTheNameOrTheHeader() throws {
        XCTAssertEqual(try records(try write("t.tsv", "a\tb\n1,5\t2\n")).map(\.fields), [["1,5", "2"]])
        XCTAssertEqual(try records(try write("t.txt", "a\tb\n1,5\t2\n")).map(\.fields), [["1,5", "2"]])
        XCTAssertEqual(try records(try write("c.txt", "a,b\n1,2\n")).map(\.fields), [["1", "2"]])
    }

    func testGzipReadsLikePlainText() throws {
        let text = "a,b\n" + (0..<5000).map { "\($0),\"v\n\($0)\"" }.joined(separator: "\n") + "\n"
        let plain = try write("p.csv", text)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-k", plain]
        try p.run(); p.waitUntilExit()
        let a = try records(plain), b = try records(plain + ".gz")
        XCTAssertEqual(a.map(\.fields), b.map(\.fields))
        XCTAssertEqual(a.map(\.line), b.map(\.line))
        XCTAssertEqual(a.last?.line, 2 + 2 * 4999)
    }

    func testMalformedRecordsNameFileLineAndField() throws {
        let cases: [(String, String)] = [
            ("a,b\n1,2\n3\n", ":3: 1 fields where the header has 2"),
            ("a,b\n\"x\ny\",1\n1,\"2\n", ":4: field 2: quote never closed"),
            ("a,b\n1,x\"y\n", ":2: field 2: a quote inside an unquoted field"),
            ("a,b\n\"1\"x,2\n", ":2: field 1: text after a closing quote"),
            ("", ": empty file: no header row"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let path = try write("bad\(i).csv", text)
            XCTAssertThrowsError(try records(path), text) { XCTAssertEqual("\($0)", path + expected) }
        }
        let missing = folder.appendingPathComponent("none.csv").path
        XCTAssertThrowsError(try CSVRecordReader(missing)) { XCTAssertEqual("\($0)", "\(missing): cannot open (No such file or directory)") }
        let reader = try CSVRecordReader(try write("h.csv", "a,b\n"))
        XCTAssertThrowsError(try reader.requireColumn("c")) { XCTAssertTrue("\($0)".hasSuffix("h.csv: no column 'c' (columns: a, b)")) }
    }
}
