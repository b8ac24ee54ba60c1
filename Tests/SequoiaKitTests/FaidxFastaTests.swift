import CHTSlib
import Foundation
import SequoiaKit
import XCTest

final class FaidxFastaTests: XCTestCase {
    /// Lines wrapped at 5 letters, mixed case, a UniProt-style name and a description after the name.
    let text = ">sp|P12345|ONE_HUMAN first record\nMKVLA\nacgtW\nYY\n>two\nAAAAA\nCCCCC\n>three x\nQ\n"
    let truth = [("sp|P12345|ONE_HUMAN", "MKVLAacgtWYY"), ("two", "AAAAACCCCC"), ("three", "Q")]

    func testPlainAndBgzipGiveTheSameRecordsWholeAndByRegion() throws {
        let folder = try hdf5TestFolder(self).path
        let plain = try write(text, to: folder + "/p.fa", mode: nil)
        let bgzip = try write(text, to: folder + "/b.fa.gz", mode: "w")
        for (path, compression) in [(plain, FastaCompression.plain), (bgzip, .bgzip)] {
            let file = try FaidxFasta(path: path)
            XCTAssertEqual(file.compression, compression)
            XCTAssertEqual(file.records, truth.map { FastaRecord(name: $0.0, length: $0.1.count) })
            for (i, (name, letters)) in truth.enumerated() {
                XCTAssertEqual(file.recordIndex(named: name), i)
                XCTAssertEqual(String(decoding: try file.fetch(name), as: UTF8.self), letters, path)
            }
            // Regions across line breaks, at the edges, and empty; bytes come back as stored (case kept).
            XCTAssertEqual(String(decoding: try file.fetch("sp|P12345|ONE_HUMAN", range: 3..<8), as: UTF8.self), "LAacg")
            XCTAssertEqual(String(decoding: try file.fetch("two", range: 9..<10), as: UTF8.self), "C")
            XCTAssertEqual(try file.fetch(record: 1, range: 4..<4), [])
            XCTAssertEqual(String(decoding: try file.fetch(record: 2, range: 0..<1), as: UTF8.self), "Q")
            XCTAssertEqual(file.indexPath, path + ".fai")
            XCTAssertEqual(FileManager.default.fileExists(atPath: path + ".gzi"), compression == .bgzip, path)
        }
    }

    func testIndexIsBuiltOnceThenReusedWithoutValidatingAgain() throws {
        let folder = try hdf5TestFolder(self).path
        for path in [try write(text, to: folder + "/p.fa", mode: nil), try write(text, to: folder + "/b.fa.gz", mode: "w")] {
            var validations = 0
            _ = try FaidxFasta(path: path) { validations += 1 }
            XCTAssertEqual(validations, 1)
            let built = try modified(path + ".fai")
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 100)], ofItemAtPath: path + ".fai")
            let stamped = try modified(path + ".fai")
            let again = try FaidxFasta(path: path) { validations += 1 }
            XCTAssertEqual(validations, 1, "a fresh index is reused without a validation scan")
            XCTAssertEqual(try modified(again.indexPath), stamped)
            XCTAssertNotEqual(stamped, built)
            XCTAssertEqual(String(decoding: try again.fetch("two"), as: UTF8.self), "AAAAACCCCC")
        }
    }

    func testValidationFailureStopsTheBuild() throws {
        let folder = try hdf5TestFolder(self).path
        let path = try write(text, to: folder + "/p.fa", mode: nil)
        struct Rejected: Error {}
        XCTAssertThrowsError(try FaidxFasta(path: path) { throw Rejected() }) { XCTAssertTrue($0 is Rejected, "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".fai"))
    }

    func testUnwritableIndexPlaceFallsBackToTheCache() throws {
        let folder = try hdf5TestFolder(self).path
        let path = try write(text, to: folder + "/p.fa", mode: nil)
        // A folder where the .fai should go stops the write even for root.
        try FileManager.default.createDirectory(atPath: path + ".fai", withIntermediateDirectories: false)
        let file = try FaidxFasta(path: path, cacheDirectory: folder + "/cache")
        XCTAssertTrue(file.indexPath.hasPrefix(folder + "/cache/"), file.indexPath)
        XCTAssertEqual(String(decoding: try file.fetch("three"), as: UTF8.self), "Q")
    }

    func testBadRequestsAndFilesAreOneLineErrorsNamingFileAndRecord() throws {
        let folder = try hdf5TestFolder(self).path
        let path = try write(text, to: folder + "/p.fa", mode: nil)
        let file = try FaidxFasta(path: path)
        expect(.unknownName, file: path, record: "P12345") { try file.fetch("P12345") }
        expect(.unknownName, file: path, record: "four") { try file.fetch("four", range: 0..<1) }
        expect(.rangeBeyondEnd(8..<11, length: 10), file: path, record: "two") { try file.fetch("two", range: 8..<11) }
        expect(.badRecordIndex(3, count: 3), file: path, record: nil) { try file.fetch(record: 3, range: 0..<1) }

        let gzip = try write(text, to: folder + "/g.fa.gz", mode: "wg")
        expect(.plainGzip, file: gzip, record: nil) { try FaidxFasta(path: gzip) }
        XCTAssertThrowsError(try FaidxFasta(path: gzip)) { error in
            XCTAssertTrue("\(error)".contains("recompress it with bgzip"), "\(error)")
            XCTAssertTrue("\(error)".contains("gzip -dc g.fa.gz | bgzip > g.fa.gz.bgz"), "\(error)")
        }
        let empty = try write("", to: folder + "/empty.fa", mode: nil)
        expect(.emptyFile, file: empty, record: nil) { try FaidxFasta(path: empty) }
        expect(.cannotOpen("No such file or directory"), file: folder + "/none.fa", record: nil) {
            try FaidxFasta(path: folder + "/none.fa")
        }
        // Uneven lines: htslib refuses to index, and the error says what faidx needs.
        let uneven = try write(">a\nMKV\nMKVL\nM\n", to: folder + "/u.fa", mode: nil)
        XCTAssertThrowsError(try FaidxFasta(path: uneven)) { error in
            guard let error = error as? FastaError, case .index(let why) = error.kind else { return XCTFail("\(error)") }
            XCTAssertTrue(why.hasPrefix("cannot build the index"), why)
            XCTAssertTrue(why.contains("equally long"), why)
        }
    }

    func testRealSwissProtFileByRandomAccess() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.appendingPathComponent("../shared"), root.appendingPathComponent("../../shared")]
        guard let data = candidates.map({ $0.appendingPathComponent("data/protein/swissprot_100_entries_emboss.fasta").standardized.path })
            .first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("../shared/data/protein is absent")
        }
        let text = try String(contentsOfFile: data, encoding: .utf8)
        var records: [(String, String)] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix(">") { records.append((String(line.dropFirst().split(separator: " ")[0]), "")) } else { records[records.count - 1].1 += line }
        }
        XCTAssertEqual(records.count, 100)
        let folder = try hdf5TestFolder(self).path
        for path in [try write(text, to: folder + "/sp.fa", mode: nil), try write(text, to: folder + "/sp.fa.gz", mode: "w")] {
            let file = try FaidxFasta(path: path)
            XCTAssertEqual(file.records.map(\.name), records.map(\.0))
            // Last record first: random access, not a front-to-back read.
            for (name, letters) in records.reversed() {
                XCTAssertEqual(String(decoding: try file.fetch(name), as: UTF8.self), letters, name)
                let middle = letters.count / 3..<letters.count * 2 / 3
                XCTAssertEqual(String(decoding: try file.fetch(name, range: middle), as: UTF8.self), String(Array(letters)[middle]), name)
            }
        }
    }

    private func write(_ text: String, to path: String, mode: String?) throws -> String {
        try writeFile(Array(text.utf8), to: path, mode: mode)
    }

    private func modified(_ path: String) throws -> Date? {
        try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
    }

    private func expect(_ kind: FastaError.Kind, file: String, record: String?, _ body: () throws -> Any,
                        line: UInt = #line) {
        XCTAssertThrowsError(try body(), line: line) { error in
            guard let error = error as? FastaError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(error.kind, kind, line: line)
            XCTAssertEqual(error.file, file, line: line)
            XCTAssertEqual(error.record, record, line: line)
            XCTAssertTrue(error.description.hasPrefix(file), error.description, line: line)
            XCTAssertFalse(error.description.contains("\n"), error.description, line: line)
        }
    }
}
