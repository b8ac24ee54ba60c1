import CHTSlib
import Foundation
import Genomics
import XCTest

final class FastaReadingTests: XCTestCase {
    func testPlainFastaThroughFaidxMatchesTheText() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.copy(TestFiles.yeast, into: dir)
        let source = try FastaReader.open(path)
        XCTAssertTrue(source is IndexedFasta)
        XCTAssertEqual((source as! IndexedFasta).indexPath, path + ".fai")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".fai"))
        XCTAssertEqual(source.records, [SequenceRecord(name: "yeastSEQCHR1", length: 230_208)])
        let truth = TestFiles.letters(ofFasta: try String(contentsOfFile: path, encoding: .utf8))[0].letters
        XCTAssertEqual(truth.count, 230_208)
        XCTAssertEqual(try source.fetch(record: 0, range: 0..<230_208), truth)
        for range in [0..<1, 59..<61, 1000..<5000, 230_000..<230_208, 17..<17] {
            XCTAssertEqual(try source.fetch(record: 0, range: range), Array(truth[range]))
        }
        // A second open reuses the index.
        XCTAssertEqual(try FastaReader.open(path).records, source.records)
    }

    func testSingleLineHumanRecord() throws {
        let dir = try TestFiles.scratch(self)
        let source = try FastaReader.open(try TestFiles.copy(TestFiles.human, into: dir))
        XCTAssertEqual(source.records, [SequenceRecord(name: "chr17", length: 40_000)])
        XCTAssertEqual(String(decoding: try source.fetch(record: 0, range: 0..<12), as: UTF8.self), "AAGCTTCTCACC")
    }

    func testPlainGzipIsReadIntoMemory() throws {
        let source = try FastaReader.open(TestFiles.ecoliGzip)
        XCTAssertTrue(source is InMemoryFasta)
        XCTAssertEqual(source.records, [SequenceRecord(name: "gi|110640213|ref|NC_008253.1|", length: 4_938_920)])
        XCTAssertEqual(String(decoding: try source.fetch(record: 0, range: 0..<70), as: UTF8.self),
                       "AGCTTTTCATTCTGACTGCAACGGGCAATATGTCTCTGTGTGGATTAAAAAAAGAGTGTCTGATAGCAGC")
        let truth = TestFiles.letters(ofFasta: try TestFiles.gunzip(TestFiles.ecoliGzip))[0].letters
        XCTAssertEqual(try source.fetch(record: 0, range: 4_900_000..<4_938_920), Array(truth[4_900_000...]))
    }

    func testBgzipUsesFaidxWithGzi() throws {
        let dir = try TestFiles.scratch(self)
        let text = try TestFiles.gunzip(TestFiles.ecoliGzip)
        let path = try writeBgzip(text, to: dir + "/ecoli.fa.gz")
        let source = try FastaReader.open(path)
        XCTAssertTrue(source is IndexedFasta)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".gzi"))
        // The plain gzip reader is checked against gzip's own output in testPlainGzipIsReadIntoMemory.
        let truth = try InMemoryFasta(path: TestFiles.ecoliGzip)
        XCTAssertEqual(source.records, truth.records)
        for range in [0..<100, 1_234_567..<1_300_000, 4_938_000..<4_938_920] {
            XCTAssertEqual(try source.fetch(record: 0, range: range), try truth.fetch(record: 0, range: range))
        }
    }

    func testMultipleRecordsLowerCaseAndCRLF() throws {
        let dir = try TestFiles.scratch(self)
        let text = ">one first\r\nACGTacgt\r\nNNry\r\n>two\r\nggg\r\n\r\n>three\r\nTTTTT\r\nTT\r\n"
        let path = try TestFiles.write(text, "multi.fa", in: dir)
        let gz = try writeGzip(text, to: dir + "/multi.fa.gz")
        for source in [try FastaReader.open(path), try FastaReader.open(gz)] {
            XCTAssertEqual(source.records.map(\.name), ["one", "two", "three"])
            XCTAssertEqual(source.records.map(\.length), [12, 3, 7])
            XCTAssertEqual(String(decoding: try source.fetch(record: 0, range: 4..<12), as: UTF8.self), "ACGTNNRY")
            XCTAssertEqual(String(decoding: try source.fetch(record: 1, range: 0..<3), as: UTF8.self), "GGG")
            XCTAssertEqual(String(decoding: try source.fetch(record: 2, range: 3..<7), as: UTF8.self), "TTTT")
            XCTAssertEqual(source.recordIndex(named: "three"), 2)
        }
    }

    // MARK: writing compressed files

    /// Writes `text` as bgzip through htslib.
    func writeBgzip(_ text: String, to path: String) throws -> String {
        try writeCompressed(text, to: path, mode: "w")
    }

    /// Writes `text` as one plain gzip stream (what `gzip` makes), which faidx cannot index.
    func writeGzip(_ text: String, to path: String) throws -> String {
        try writeCompressed(text, to: path, mode: "wg")
    }

    private func writeCompressed(_ text: String, to path: String, mode: String) throws -> String {
        let fp = try XCTUnwrap(bgzf_open(path, mode))
        let bytes = Array(text.utf8)
        XCTAssertEqual(bgzf_write(fp, bytes, bytes.count), bytes.count)
        XCTAssertEqual(bgzf_close(fp), 0)
        return path
    }
}
