import Foundation
import XCTest
import Genomics
import SequoiaKit

final class LabelledTests: XCTestCase {
    private let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/dna")
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("labelled-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Writes `text` to a file named `name` in the temporary folder and returns its path.
    private func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// The error reading `path` throws (failing the test when none is thrown).
    private func error(reading path: String, sequenceColumn: String = "sequence") -> TableError? {
        do {
            _ = try LabelledSequenceTable(path: path, sequenceColumn: sequenceColumn)
            XCTFail("\(path) was read without error")
        } catch let error as TableError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
        }
        return nil
    }

    func testSpliceThreeClasses() throws {
        let table = try LabelledSequenceTable(path: dataFolder.appendingPathComponent("splice_statlog_mlbench.csv").path)
        XCTAssertEqual(table.examples.count, 3186)
        XCTAssertEqual(table.classNames, ["ei", "ie", "n"])
        XCTAssertEqual((0..<3).map { c in table.labels.filter { $0 == c }.count }, [767, 765, 1654])
        XCTAssertEqual(table.examples[0].line, 2)
        XCTAssertEqual(table.examples[0].label, 2)
        XCTAssertEqual(table.examples[0].input, .sequence("CTAGGCTCCAGATAGCCATAGAAGAACCAAACACTTTCTGCGTGTGTGAGAATAATCAGA"))
        XCTAssertEqual(table.examples[3].label, 0)

        let split = table.split(heldOutFraction: 0.2, seed: 1)
        XCTAssertEqual(split.heldOut, table.split(heldOutFraction: 0.2, seed: 1).heldOut)
        XCTAssertNotEqual(split.heldOut, table.split(heldOutFraction: 0.2, seed: 2).heldOut)
        XCTAssertEqual(split.heldOut.count, 153 + 153 + 331)
        XCTAssertEqual((split.train + split.heldOut).sorted(), Array(0..<3186))
        XCTAssertEqual((0..<3).map { c in split.heldOut.filter { table.labels[$0] == c }.count }, [153, 153, 331])
        XCTAssertEqual(split.train, split.train.sorted())
    }

    func testEcoliPromotersTwoClasses() throws {
        let table = try LabelledSequenceTable(path: dataFolder.appendingPathComponent("ecoli_promoters_kernlab.csv").path)
        XCTAssertEqual(table.examples.count, 106)
        XCTAssertEqual(table.classNames, ["non_promoter", "promoter"])
        XCTAssertEqual(table.labels.filter { $0 == 1 }.count, 53)
        let split = table.split(heldOutFraction: 0.25, seed: 9)
        XCTAssertEqual(split.heldOut.filter { table.labels[$0] == 0 }.count, 13)
        XCTAssertEqual(split.heldOut.filter { table.labels[$0] == 1 }.count, 13)
    }

    func testQuotedTSVWithRegionsCRLFAndBOM() throws {
        let text = "\u{FEFF}name\tchrom\tstart\tend\tlabel\r\n"
            + "\"a\tb \"\"quoted\"\"\nsecond line\"\tchr1\t0\t100\tzeta\r\n"
            + "\r\n"
            + "plain\t\"chr2\"\t5\t6\talpha\r\n"
        let table = try LabelledSequenceTable(path: try write("regions.tsv", text))
        XCTAssertEqual(table.classNames, ["alpha", "zeta"])
        XCTAssertEqual(table.examples.map(\.input), [.region(chrom: "chr1", start: 0, end: 100), .region(chrom: "chr2", start: 5, end: 6)])
        XCTAssertEqual(table.examples.map(\.label), [1, 0])
        XCTAssertEqual(table.examples.map(\.line), [2, 5])
    }

    func testCustomColumnsAndSniffedDelimiter() throws {
        let path = try write("custom.txt", "dna\tclass\nacgtnRYk\tb\nACGT\ta\n")
        let table = try LabelledSequenceTable(path: path, sequenceColumn: "dna", labelColumn: "class")
        XCTAssertEqual(table.labels, [1, 0])
        XCTAssertEqual(table.examples[0].input, .sequence("acgtnRYk"))
    }

    func testSplitKeepsSmallClassesOnBothSides() {
        let split = StratifiedSplit.trainTest(labels: [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], heldOutFraction: 0.1, seed: 3)
        XCTAssertEqual(split.heldOut.filter { $0 < 2 }.count, 1)
        XCTAssertEqual(split.heldOut.count, 2)
        XCTAssertEqual(StratifiedSplit.trainTest(labels: [0, 1], heldOutFraction: 0, seed: 1).heldOut, [])
    }

    func testBadFilesNameFileLineAndColumn() throws {
        let need = " (need 'sequence' or 'chrom', 'start', 'end')"
        let cases: [(name: String, text: String, line: Int, column: String?, message: String)] = [
            ("nolabel.csv", "sequence,class\nACGT,a\n", 1, "label", "missing from the header"),
            ("noseq.csv", "seq,label\nACGT,a\n", 1, "sequence", "missing from the header" + need),
            ("halfregion.csv", "chrom,start,label\nchr1,1,a\n", 1, "end", "missing from the header" + need),
            ("empty-seq.csv", "sequence,label\nACGT,a\n ,b\n", 3, "sequence", "empty sequence"),
            ("letters.csv", "sequence,label\nACGT,a\nACXGT,b\n", 3, "sequence", "invalid letter 'X' at position 3"),
            ("emptylabel.csv", "sequence,label\nACGT,\n", 2, "label", "empty label"),
            ("start.csv", "chrom,start,end,label\nchr1,-4,10,a\n", 2, "start", "'-4' is not a non-negative integer"),
            ("end.csv", "chrom,start,end,label\nchr1,10,10,a\n", 2, "end", "'10' is not an integer above start 10"),
            ("width.csv", "sequence,label\nACGT,a\nACGT,b,extra\n", 3, nil, "3 fields where the header has 2"),
            ("quote.csv", "sequence,label\nACGT,a\n\"ACGT,b\n", 3, nil, "field 1: quote never closed"),
            ("stray.csv", "sequence,label\nAC\"GT,a\n", 2, nil, "field 1: a quote inside an unquoted field"),
            ("empty.csv", "", 0, nil, "empty file: no header row"),
            ("header.csv", "sequence,label\n", 0, nil, "no rows after the header"),
        ]
        for c in cases {
            let path = try write(c.name, c.text)
            guard let error = error(reading: path) else { continue }
            XCTAssertEqual(error, TableError(file: path, line: c.line, column: c.column, message: c.message), c.name)
            XCTAssertTrue(error.description.hasPrefix(c.line > 0 ? "\(path):\(c.line): " : "\(path): "), error.description)
        }
        let missing = folder.appendingPathComponent("absent.csv").path
        XCTAssertEqual(error(reading: missing)?.description, "\(missing): cannot open (No such file or directory)")
        XCTAssertEqual(error(reading: try write("x.csv", "sequence,label\nAC,a\nA C,b\n"))?.description,
                       "\(folder.appendingPathComponent("x.csv").path):3: column 'sequence': invalid letter ' ' at position 2")
    }
}
