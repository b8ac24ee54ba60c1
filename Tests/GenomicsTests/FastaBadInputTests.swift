import CHTSlib
import Foundation
import Genomics
import SequoiaKit
import XCTest

final class FastaBadInputTests: XCTestCase {
    func testNotFasta() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write("\nhello world\nACGT\n", "x.fa", in: dir)
        assertFastaError(.notFasta(found: "hello world"), file: path, line: 2) { try FastaReader.open(path) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".fai"))
    }

    func testEmptyFiles() throws {
        let dir = try TestFiles.scratch(self)
        let empty = try TestFiles.write("", "empty.fa", in: dir)
        assertFastaError(.emptyFile, file: empty) { try FastaReader.open(empty) }
        let blank = try TestFiles.write("\n\n  \n", "blank.fa", in: dir)
        assertFastaError(.notFasta(found: "  "), file: blank, line: 3) { try FastaReader.open(blank) }
        let newlines = try TestFiles.write("\n\r\n", "newlines.fa", in: dir)
        assertFastaError(.emptyFile, file: newlines) { try FastaReader.open(newlines) }
        let missing = dir + "/missing.fa"
        assertFastaError(.cannotOpen("No such file or directory"), file: missing) { try FastaReader.open(missing) }
    }

    func testRecordWithoutSequence() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(">a\nACGT\n>b desc\n>c\nAC\n", "x.fa", in: dir)
        assertFastaError(.noSequence, file: path, record: "b", line: 3) { try FastaReader.open(path) }
        let last = try TestFiles.write(">a\nACGT\n>z\n", "last.fa", in: dir)
        assertFastaError(.noSequence, file: last, record: "z", line: 3) { try FastaReader.open(last) }
        let noName = try TestFiles.write("> \nACGT\n", "noname.fa", in: dir)
        assertFastaError(.emptyName, file: noName, line: 1) { try FastaReader.open(noName) }
    }

    func testInvalidCharacters() throws {
        let dir = try TestFiles.scratch(self)
        for (bad, byte) in [("AC-T", UInt8(ascii: "-")), ("AC*T", UInt8(ascii: "*")), ("ACUT", UInt8(ascii: "U")),
                            ("AC T", UInt8(ascii: " ")), ("AC1T", UInt8(ascii: "1"))] {
            let text = ">a\nACGT\n>b\nACGT\n\(bad)\n"
            let path = try TestFiles.write(text, "x.fa", in: dir)
            assertFastaError(.invalidCharacter(byte, position: 6, allowed: NucleotideAlphabet.allowed), file: path, record: "b", line: 5) { try FastaReader.open(path) }
            let gz = dir + "/x.fa.gz"
            try writeGzip(text, to: gz)
            assertFastaError(.invalidCharacter(byte, position: 6, allowed: NucleotideAlphabet.allowed), file: gz, record: "b", line: 5) { try FastaReader.open(gz) }
            unlink(path + ".fai")
        }
    }

    func testDuplicateNames() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(">a x\nAC\n>b\nGG\n>a y\nTT\n", "x.fa", in: dir)
        assertFastaError(.duplicateName(firstLine: 1), file: path, record: "a", line: 5) { try FastaReader.open(path) }
    }

    func testUnevenLinesNeedRewrapForFaidxButNotInMemory() throws {
        let dir = try TestFiles.scratch(self)
        let text = ">a\nACG\nACGT\n"
        let path = try TestFiles.write(text, "x.fa", in: dir)
        assertFastaError(.unevenLines(bases: 4, expected: 3), file: path, record: "a", line: 3) { try FastaReader.open(path) }
        let gap = try TestFiles.write(">a\nACG\n\nACG\n", "gap.fa", in: dir)
        assertFastaError(.lineAfterShortLine(shortLine: 3), file: gap, record: "a", line: 4) { try FastaReader.open(gap) }
        let lead = try TestFiles.write(">a\n\nACG\n", "lead.fa", in: dir)
        assertFastaError(.lineAfterShortLine(shortLine: 2), file: lead, record: "a", line: 3) { try FastaReader.open(lead) }
        let short = try TestFiles.write(">a\nACGT\nAC\nACGT\n", "short.fa", in: dir)
        assertFastaError(.lineAfterShortLine(shortLine: 3), file: short, record: "a", line: 4) { try FastaReader.open(short) }
        let gz = dir + "/x.fa.gz"
        try writeGzip(text, to: gz)
        XCTAssertEqual(try FastaReader.open(gz).fetch(record: 0, range: 0..<7), Array("ACGACGT".utf8))
    }

    func testTruncatedGzipAndBgzip() throws {
        let dir = try TestFiles.scratch(self)
        let whole = try Data(contentsOf: URL(fileURLWithPath: TestFiles.ecoliGzip))
        let cut = dir + "/cut.fa.gz"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        assertFastaError(.truncated, file: cut) { try FastaReader.open(cut) }

        var text = ">a\n"
        for i in 0..<20_000 { text += ["ACGTACGTAC", "GGCCTTAANN"][i % 2] + "\n" }
        let bgz = try writeBgzip(text, to: dir + "/x.fa.gz")
        let full = try Data(contentsOf: URL(fileURLWithPath: bgz))
        try full.prefix(full.count - 28).write(to: URL(fileURLWithPath: bgz))  // drop the EOF block
        assertFastaError(.truncated, file: bgz) { try FastaReader.open(bgz) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: bgz + ".fai"))
    }

    func testLargePlainGzipAsksForBgzip() throws {
        assertFastaError(.needsBgzip(limit: 1_000_000), file: TestFiles.ecoliGzip) {
            try FastaReader.open(TestFiles.ecoliGzip, inMemoryLimit: 1_000_000)
        }
        do { _ = try FastaReader.open(TestFiles.ecoliGzip, inMemoryLimit: 1_000_000) } catch {
            XCTAssertTrue("\(error)".contains("run bgzip on \(TestFiles.ecoliGzip) to index it"), "\(error)")
        }
    }

    func testFetchOutsideTheRecord() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(">a\nACGT\n>b\nAC\n", "x.fa", in: dir)
        for source in [try FastaReader.open(path), try InMemoryFasta(path: path)] {
            assertFastaError(.rangeBeyondEnd(1..<3, length: 2), file: path, record: "b") { try source.fetch(record: 1, range: 1..<3) }
            assertFastaError(.rangeBeyondEnd(-1..<2, length: 4), file: path, record: "a") { try source.fetch(record: 0, range: -1..<2) }
            assertFastaError(.badRecordIndex(2, count: 2), file: path) { try source.fetch(record: 2, range: 0..<1) }
        }
    }

    func testInvalidLettersBehindAForeignIndexFailOnFetch() throws {
        // An index made elsewhere (e.g. samtools) skips our validation scan; fetch still checks letters.
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(">a\nACGT\nA-GT\n", "x.fa", in: dir)
        try TestFiles.write("a\t8\t3\t4\t5\n", "x.fa.fai", in: dir)
        let source = try FastaReader.open(path)
        XCTAssertEqual(try source.fetch(record: 0, range: 0..<4), Array("ACGT".utf8))
        assertFastaError(.invalidCharacter(UInt8(ascii: "-"), position: 5, allowed: NucleotideAlphabet.allowed), file: path, record: "a") {
            try source.fetch(record: 0, range: 2..<8)
        }
    }

    @discardableResult
    func writeGzip(_ text: String, to path: String) throws -> String { try write(text, path, "wg") }
    func writeBgzip(_ text: String, to path: String) throws -> String { try write(text, path, "w") }
    private func write(_ text: String, _ path: String, _ mode: String) throws -> String {
        let fp = try XCTUnwrap(bgzf_open(path, mode))
        let bytes = Array(text.utf8)
        XCTAssertEqual(bgzf_write(fp, bytes, bytes.count), bytes.count)
        XCTAssertEqual(bgzf_close(fp), 0)
        return path
    }
}
