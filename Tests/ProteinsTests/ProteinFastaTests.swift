import Foundation
import Proteins
import XCTest

/// A fresh temporary folder for one test.
func proteinTestFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("proteins-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to `name` in `folder`; returns the path.
func writeText(_ text: String, _ name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// Every record of `path`.
func readAll(_ path: String) throws -> [ProteinRecord] {
    var records: [ProteinRecord] = []
    try ProteinFastaReader(path).forEach { records.append($0) }
    return records
}

final class ProteinFastaTests: XCTestCase {
    let sample = ">sp|P69905|HBA_HUMAN Hemoglobin subunit alpha\nMVLSPADKTN\nvkaawgkv*\n\n>plain_id\r\nAC-.XBUZO\n>tr|A0A000|A0A000_X\nMK"

    func testRecordsIdsAccessionsAndResidues() throws {
        let path = try writeText(sample, "a.fasta", in: try proteinTestFolder())
        let records = try readAll(path)
        XCTAssertEqual(records.map(\.id), ["sp|P69905|HBA_HUMAN", "plain_id", "tr|A0A000|A0A000_X"])
        XCTAssertEqual(records.map(\.accession), ["P69905", nil, "A0A000"])
        XCTAssertEqual(records[0].description, "Hemoglobin subunit alpha")
        XCTAssertEqual(records[1].description, "")
        XCTAssertEqual(String(decoding: records[0].residues, as: UTF8.self), "MVLSPADKTNVKAAWGKV")
        XCTAssertEqual(String(decoding: records[1].residues, as: UTF8.self), "AC-.XBUZO")
        XCTAssertEqual(String(decoding: records[2].residues, as: UTF8.self), "MK")
    }

    func testGzipReadsTheSame() throws {
        let folder = try proteinTestFolder()
        let path = try writeText(sample, "a.fasta", in: folder)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", path]
        try gzip.run()
        gzip.waitUntilExit()
        XCTAssertEqual(try readAll(path + ".gz"), try readAll(path))
    }

    func testStreamsOneRecordAtATime() throws {
        let folder = try proteinTestFolder()
        let text = (0..<3000).map { ">p\($0)\n" + String(repeating: "ACDEFGHIKLMNPQRSTVWY", count: 1 + $0 % 7) }.joined(separator: "\n")
        let reader = try ProteinFastaReader(try writeText(text, "many.fasta", in: folder))
        var count = 0, residues = 0
        while let record = try reader.next() { count += 1; residues += record.residues.count }
        XCTAssertEqual(count, 3000)
        XCTAssertEqual(residues, (0..<3000).reduce(0) { $0 + 20 * (1 + $1 % 7) })
    }

    func testBadInputsAreOneLineErrorsWithPlace() throws {
        let folder = try proteinTestFolder()
        let cases: [(String, String)] = [
            ("hello\n>a\nMK\n", "line 1: not a FASTA file"),
            (">a\nMK\n>b\n\n>c\nMK\n", "line 3 record 'b': record has no sequence"),
            (">a\nMK\n>b\nMKJL\n", "line 4 record 'b': invalid character 'J' at position 3"),
            (">a\nMK1\n", "line 2 record 'a': invalid character '1'"),
            (">a\nMK*L\n", "line 2 record 'a': residues after the stop"),
            (">a x\nMK\n>a y\nMK\n", "line 3 record 'a': duplicate record name (first seen on line 1)"),
            ("", "empty file"),
            (">\nMK\n", "line 1: header line has no record name"),
        ]
        for (i, (text, expected)) in cases.enumerated() {
            let path = try writeText(text, "bad\(i).fasta", in: folder)
            XCTAssertThrowsError(try readAll(path), text) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix(path), message)
                XCTAssertTrue(message.contains(expected), "\(message) lacks \(expected)")
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
        XCTAssertThrowsError(try ProteinFastaReader(folder.appendingPathComponent("missing.fa").path)) { error in
            XCTAssertTrue("\(error)".contains("cannot open"), "\(error)")
        }
    }

    func testRealUniProtFiles() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/protein").standardized
        let swissprot = data.appendingPathComponent("swissprot_100_entries_emboss.fasta").path
        let queries = data.appendingPathComponent("uniprot_500_mmseqs2_QUERY.fasta.gz").path
        guard FileManager.default.fileExists(atPath: swissprot), FileManager.default.fileExists(atPath: queries) else {
            print("skipping: \(data.path) is absent")
            throw XCTSkip("protein data not found at \(data.path)")
        }
        XCTAssertEqual(try readAll(swissprot).count, 100)
        let records = try readAll(queries)
        XCTAssertEqual(records.count, 500)
        XCTAssertEqual(records[0].accession, "A7TBS3")
    }
}
