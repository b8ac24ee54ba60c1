import EHR
import Foundation
import XCTest

final class ScoresTableTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("scores-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func file(_ text: String) throws -> String {
        let url = folder.appendingPathComponent("s-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testRoundTripKeepsEveryDigitAndTimesBefore1970() throws {
        let scores = [
            PredictionScore(subjectID: 1, predictionTime: 397_958_400_000_000, probability: 0.123456789012345678),
            PredictionScore(subjectID: -3, predictionTime: -1_000_000_000_001, probability: 0),
            PredictionScore(subjectID: Int64.max, predictionTime: 1_700_000_000_123_456, probability: 1),
            PredictionScore(subjectID: 2, predictionTime: 0, probability: 1e-300),
        ]
        let url = folder.appendingPathComponent("scores.csv")
        try ScoresTable.write(scores, to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("subject_id,prediction_time,probability\n1,1982-08-12 00:00:00.000000,0.12345678901234568\n"), text)
        XCTAssertEqual(try ScoresTable.read(url.path), scores)
        // No temporary file is left beside the output.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["scores.csv"])
    }

    func testReadsQuotedHeadersCRLFAndAnyColumnOrder() throws {
        let path = try file("\"probability\",\"subject_id\",\"prediction_time\"\r\n0.25,7,2001-02-03 04:05:06.5\r\n1,8,2001-02-03\r\n")
        XCTAssertEqual(try ScoresTable.read(path), [
            PredictionScore(subjectID: 7, predictionTime: 981_173_106_500_000, probability: 0.25),
            PredictionScore(subjectID: 8, predictionTime: 981_158_400_000_000, probability: 1),
        ])
    }

    func testBadInputNamesFileRowAndColumn() throws {
        let header = "subject_id,prediction_time,probability\n"
        let cases: [(String, String)] = [
            ("subject_id,probability\n1,0.5\n", "no column 'prediction_time'"),
            (header + "1,2001-02-03 00:00:00,0.5\nx1,2001-02-03 00:00:00,0.5\n", "row 2, column subject_id: 'x1' is not an integer"),
            (header + "1,2001-02-30 00:00:00,0.5\n", "row 1, column prediction_time: '2001-02-30 00:00:00' is not a timestamp"),
            (header + "1,2001-02-03 00:00:00,1.5\n", "row 1, column probability: '1.5' is not a number in [0, 1]"),
            (header + "1,2001-02-03 00:00:00,-0.1\n", "row 1, column probability"),
            (header + "1,2001-02-03 00:00:00,nan\n", "row 1, column probability: 'nan'"),
            (header + "1,2001-02-03 00:00:00,0.5x\n", "row 1, column probability: '0.5x'"),
            (header + "1,2001-02-03 00:00:00,\n", "row 1, column probability: ''"),
            (header + "1,2001-02-03 00:00:00,0.5\n1,2001-02-03 00:00:00.000000,0.6\n", "row 2, column prediction_time: subject 1 at 2001-02-03 00:00:00.000000 is scored twice (first in row 1)"),
            (header + "1,2001-02-03 00:00:00,0.5,9\n", "row 1: 4 field(s)"),
        ]
        for (text, expected) in cases {
            let path = try file(text)
            XCTAssertThrowsError(try ScoresTable.read(path), expected) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix(path + ":"), message)
                XCTAssertTrue(message.contains(expected), "\(message) lacks \(expected)")
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
        let unwritten = folder.appendingPathComponent("nan.csv")
        XCTAssertThrowsError(try ScoresTable.write([PredictionScore(subjectID: 4, predictionTime: 0, probability: .nan)], to: unwritten)) {
            XCTAssertEqual("\($0)", "\(unwritten.path): probability nan for subject 4 at 1970-01-01 00:00:00.000000 is not in [0, 1]; nothing written")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: unwritten.path))
        XCTAssertThrowsError(try ScoresTable.read(folder.appendingPathComponent("missing.csv").path)) {
            XCTAssertTrue("\($0)".contains("missing.csv"), "\($0)")
        }
    }
}
