import Foundation
import Proteins
import SequoiaKit
import SequoiaTensor
import XCTest

final class ProbeJobTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("probe-job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// 300 labelled proteins whose 8-d mean embedding is shifted along the label's axis, plus 10 unlabelled
    /// ones; the CSV also names 4 proteins with no embedding and quotes labels that contain commas.
    private func writeInputs(shuffleLabels: Bool) throws -> (h5: String, csv: String) {
        var rng = RandomGenerator(seed: 21)
        let classes = ["cytoplasm", "membrane, plasma", "nucleus \"core\""]
        let n = 310, d = 8
        var ids = [String](), mean = [Float](), labels = [Int]()
        for i in 0..<n {
            let c = i % 3
            ids.append("sp|P\(10000 + i)|PROT\(i)_HUMAN")
            for j in 0..<d { mean.append((j == c ? 2.5 : 0) + rng.nextNormal()) }
            labels.append(c)
        }
        if shuffleLabels { for i in stride(from: n - 1, to: 0, by: -1) { labels.swapAt(i, rng.nextInt(i + 1)) } }
        let h5 = folder.appendingPathComponent("emb.h5").path
        let file = try HDF5File.create(h5)
        try file.root.write("ids", strings: ids)
        try file.root.write("mean", floats: mean, shape: [n, d])
        try file.close()
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var csv = "name,id,location\r\n"
        for i in 0..<300 { csv += "x\(i),\(ids[i]),\(quoted(classes[labels[i]]))\r\n" }
        for i in 0..<4 { csv += "y\(i),sp|Q\(i)|MISSING,\(quoted(classes[i % 3]))\r\n" }
        let path = folder.appendingPathComponent("labels.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return (h5, path)
    }

    func testProbeFindsTheLabelInTheEmbeddings() throws {
        let (h5, csv) = try writeInputs(shuffleLabels: false)
        let report = try ProbeReport.evaluate(embeddings: h5, labels: csv, idColumn: "id", labelColumn: "location", heldOut: 0.2, seed: 4)
        XCTAssertEqual(report.classes, ["cytoplasm", "membrane, plasma", "nucleus \"core\""])
        XCTAssertEqual(report.embeddingsWithoutLabel, 10)
        XCTAssertEqual(report.labelsWithoutEmbedding, 4)
        XCTAssertEqual(report.heldOutCount, 60)
        XCTAssertEqual(report.trainCount, 240)
        XCTAssertEqual(report.majorityAccuracy, 1.0 / 3, accuracy: 1e-9)
        XCTAssertGreaterThan(report.accuracy, 0.8)
        XCTAssertGreaterThan(report.macroF1, 0.8)
        XCTAssertGreaterThan(report.accuracy, report.majorityAccuracy + 0.4)
        let again = try ProbeReport.evaluate(embeddings: h5, labels: csv, idColumn: "id", labelColumn: "location", heldOut: 0.2, seed: 4)
        XCTAssertEqual(again.json, report.json)
    }

    func testShuffledLabelsStayNearTheBaseline() throws {
        let (h5, csv) = try writeInputs(shuffleLabels: true)
        let report = try ProbeReport.evaluate(embeddings: h5, labels: csv, idColumn: "id", labelColumn: "location", heldOut: 0.2, seed: 4)
        XCTAssertLessThan(report.accuracy, report.majorityAccuracy + 0.2)
    }

    func testJobRunsAndReportsAMissingColumn() throws {
        let (h5, csv) = try writeInputs(shuffleLabels: false)
        let args = ["--embeddings", h5, "--labels", csv, "--label-column", "location", "--json"]
        XCTAssertNoThrow(try probeJob.run(ParsedOptions(args, options: probeJob.options, command: "proteins probe")))
        let bad = ["--embeddings", h5, "--labels", csv, "--label-column", "class"]
        XCTAssertThrowsError(try probeJob.run(ParsedOptions(bad, options: probeJob.options, command: "proteins probe"))) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("labels.csv: no column 'class'") && message.contains("location"), message)
        }
    }

    func testCSVReaderHandlesQuotesAndReportsRaggedRows() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let good = folder.appendingPathComponent("t.csv").path, ragged = folder.appendingPathComponent("r.csv").path
        try Data("a,b\n\"x, \"\"y\"\"\",2\n\"multi\nline\",3\n".utf8).write(to: URL(fileURLWithPath: good))
        try Data("a,b\n1,2\n3\n".utf8).write(to: URL(fileURLWithPath: ragged))
        let table = try CSVTable.read(good)
        XCTAssertEqual(table.header, ["a", "b"])
        XCTAssertEqual(table.rows, [["x, \"y\"", "2"], ["multi\nline", "3"]])
        XCTAssertEqual(table.lineNumbers, [2, 3])
        XCTAssertThrowsError(try CSVTable.read(ragged)) { error in
            XCTAssertEqual("\(error)", "\(ragged):3: 1 fields where the header has 2")
        }
    }
}
