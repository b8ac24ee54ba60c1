import EHR
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SequoiaKit
import XCTest

final class EvalJobTests: XCTestCase {
    private func run(_ arguments: [String]) throws {
        try ehrEvalJob.run(ParsedOptions(arguments, options: ehrEvalJob.options, command: "ehr eval"))
    }

    /// The baseline's own held-out scores, made as `ehr eval` fits it (train-split labels, same seed).
    private func baselineScores(seed: UInt64) throws -> (scores: [PredictionScore], trainLabels: Int) {
        let cohort = try EHRTestFiles.eunomiaCohort()
        let labels = try MEDSLabels.read(EHRTestFiles.eunomiaLabelsCSV)
        func histories(_ rows: [PredictionLabel]) -> [ArraySlice<MEDSEvent>] {
            rows.map { cohort.timeline(for: $0.subjectID)!.events(before: $0.predictionTime) }
        }
        let train = labels.filter { cohort.split(of: $0.subjectID) == .train }
        let heldOut = labels.filter { cohort.split(of: $0.subjectID) == .heldOut }
        let baseline = try CountBaseline.fit(histories: histories(train), predictionTimes: train.map(\.predictionTime),
                                             outcomes: train.map { $0.value == 1 }, seed: seed)
        let p = try baseline.probabilities(histories: histories(heldOut), predictionTimes: heldOut.map(\.predictionTime))
        return (zip(heldOut, p).map { PredictionScore(subjectID: $0.subjectID, predictionTime: $0.predictionTime, probability: $1) },
                train.count)
    }

    func testEunomiaEndToEndWithTheBaselinesOwnScoresAsTheModel() throws {
        let dir = try EHRTestFiles.scratch(self)
        let (scores, trainLabels) = try baselineScores(seed: 3)
        let scoresPath = dir + "/scores.csv", jsonPath = dir + "/report.json", plotPath = dir + "/quartiles.svg"
        try ScoresTable.write(scores, to: URL(fileURLWithPath: scoresPath))
        // The scores came from the CSV reading; the job reads the Parquet copies of the same rows.
        try run(["--scores", scoresPath, "--labels", EHRTestFiles.eunomiaLabelsParquet, "--events", EHRTestFiles.eunomiaParquet,
                 "--json", jsonPath, "--plot", plotPath, "--seed", "3"])

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath))) as! [String: Any]
        XCTAssertEqual(json["split"] as? String, "held_out")
        let rows = json["rows"] as! [String: Int]
        XCTAssertEqual(rows["evaluated"], scores.count)
        XCTAssertEqual(rows["labelsWithoutScore"], 0)
        XCTAssertEqual(rows["scoresWithoutLabel"], 0)
        XCTAssertEqual(rows["scoresOutsideSplit"], 0)
        let baseline = json["baseline"] as! [String: Any]
        XCTAssertEqual(baseline["trainRows"] as? Int, trainLabels)
        // Same rows, same probabilities, same resamples: the model row is the baseline row.
        let model = json["model"] as! NSDictionary
        XCTAssertEqual(model, baseline["metrics"] as! NSDictionary)
        let auroc = (model["auroc"] as! [String: Double])["estimate"]!
        XCTAssertGreaterThan(auroc, 0.5)
        let strata = json["strata"] as! [[String: Any]]
        XCTAssertEqual(strata.map { $0["stratifier"] as! String }, ["repetition", "irregularity", "length"])
        for stratum in strata {
            let bins = stratum["bins"] as! [[String: Any]]
            XCTAssertEqual(bins.count, 4)
            XCTAssertEqual(bins.map { ($0["model"] as! [String: Any])["count"] as! Int }.reduce(0, +), scores.count)
            for bin in bins { XCTAssertEqual(bin["model"] as! NSDictionary, bin["baseline"] as! NSDictionary) }
        }

        // The file holds the whole report: decoding and re-encoding it gives the same text.
        let written = try String(contentsOfFile: jsonPath, encoding: .utf8)
        let report = try JSONDecoder().decode(EvalReport.self, from: Data(written.utf8))
        XCTAssertEqual(report.json + "\n", written)
        let svg = try String(contentsOfFile: plotPath, encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<?xml") && svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse(), "the SVG is not well-formed XML")
        for stratifier in Stratifier.allCases { XCTAssertTrue(svg.contains(stratifier.title)) }
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 13)  // the legend and the model's 12 quartile points
        XCTAssertTrue(report.table.contains("\n  all rows n=\(scores.count) pos=\(rows["positives"]!)"), report.table)

        // Without the events: the same rows (only held-out subjects are scored) and the same model metrics,
        // but no split, baseline or strata.
        try run(["--scores", scoresPath, "--labels", EHRTestFiles.eunomiaLabelsCSV, "--json", jsonPath, "--seed", "3"])
        let plain = try JSONDecoder().decode(EvalReport.self, from: Data(contentsOf: URL(fileURLWithPath: jsonPath)))
        XCTAssertEqual(plain.split, "all")
        XCTAssertEqual(plain.model, report.model)
        XCTAssertNil(plain.baseline)
        XCTAssertTrue(plain.strata.isEmpty)
        XCTAssertEqual(plain.rows.labelsWithoutScore, try MEDSLabels.read(EHRTestFiles.eunomiaLabelsCSV).count - scores.count)
    }

    func testUsageMistakes() throws {
        let base = ["--scores", "s.csv", "--labels", "l.csv"]
        let cases: [([String], String)] = [
            (base + ["--split", "tuning"], "--split tuning needs --events"),
            (base + ["--events", "e.csv", "--split", "test"], "--split must be held_out, tuning, train or all, got 'test'"),
            (base + ["--plot", "q.svg"], "--plot needs --events"),
            (base + ["--seed", "-1"], "--seed must be a non-negative integer"),
        ]
        for (arguments, expected) in cases {
            XCTAssertThrowsError(try run(arguments)) { error in
                XCTAssertTrue(error is UsageError, "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
        // --split all needs no events; the missing scores file is then the error.
        XCTAssertThrowsError(try run(base + ["--split", "all"])) { XCTAssertTrue("\($0)".hasPrefix("s.csv: cannot open"), "\($0)") }
    }

    func testBaselineNeedsBothOutcomesAmongTrainLabels() throws {
        let dir = try EHRTestFiles.scratch(self)
        var events = "subject_id,time,code,numeric_value\n", labels = "subject_id,prediction_time,boolean_value\n"
        let subjects = (1...40).map(Int64.init)
        for id in subjects {
            events += "\(id),2001-01-01 00:00:00,A,\n\(id),2002-01-01 00:00:00,B,\n"
            // Positives only outside the train split.
            labels += "\(id),2003-01-01 00:00:00,\(SubjectSplit.hashed(id) == .train ? "false" : "true")\n"
        }
        let eventsPath = try EHRTestFiles.write(events, "events.csv", in: dir)
        let labelsPath = try EHRTestFiles.write(labels, "labels.csv", in: dir)
        let scoresPath = dir + "/scores.csv"
        try ScoresTable.write(subjects.map { PredictionScore(subjectID: $0, predictionTime: medsTime("2003-01-01"), probability: 0.5) },
                              to: URL(fileURLWithPath: scoresPath))
        let train = subjects.filter { SubjectSplit.hashed($0) == .train }.count
        let message = EHRTestFiles.errorMessage {
            try self.run(["--scores", scoresPath, "--labels", labelsPath, "--events", eventsPath, "--split", "all"])
        }
        XCTAssertEqual(message, "\(labelsPath): the train split holds \(train) label(s), 0 positive; the baseline needs both outcomes "
            + "there (without --events eval reports the model alone)")
        // Without the events the model's metrics are still reported.
        XCTAssertNoThrow(try run(["--scores", scoresPath, "--labels", labelsPath]))
    }
}
