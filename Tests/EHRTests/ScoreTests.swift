import EHR
import Foundation
import SequoiaKit
import XCTest

final class ScoreTests: XCTestCase {
    func testOneRowPerLabelInLabelOrderWhateverTheBatch() throws {
        let dir = try EHRFixture.temporaryFolder("score")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (timelines, original) = EHRFixture.cohort(count: 50)
        var labels = original
        let events = dir.appendingPathComponent("events.csv"), labelFile = dir.appendingPathComponent("labels.csv")
        try EHRFixture.writeEvents(timelines, to: events)
        try EHRFixture.writeLabels(labels, to: labelFile)
        let config = try EHRFixture.writeConfig(in: dir, steps: 2)
        let model = dir.appendingPathComponent("model"), task = dir.appendingPathComponent("task")
        try EHRFixture.run(ehrTrainJob, ["--config", config.path, "--events", events.path, "--out", model.path])
        try EHRFixture.run(ehrFinetuneJob, ["--model", model.path, "--events", events.path, "--labels", labelFile.path,
                                            "--out", task.path])
        // Scored: a second time for one subject, and a time before any of its events (static facts only).
        let first = timelines[0]
        labels.insert(PredictionLabel(subjectID: first.subjectID, predictionTime: first.events[1].time! - 1, value: 0), at: 1)
        labels.append(PredictionLabel(subjectID: first.subjectID, predictionTime: first.events.last!.time! + 1, value: 1))
        try EHRFixture.writeLabels(labels, to: labelFile)
        var runs: [[[Substring]]] = []
        for batch in ["1", "7"] {
            let scores = dir.appendingPathComponent("scores-\(batch).csv")
            try EHRFixture.run(ehrScoreJob, ["--model", task.path, "--events", events.path, "--labels", labelFile.path,
                                             "--out", scores.path, "--batch", batch])
            XCTAssertTrue(try String(contentsOf: scores, encoding: .utf8).hasPrefix("subject_id,prediction_time,probability\n"))
            runs.append(try EHRFixture.scoreRows(scores))
        }
        XCTAssertEqual(runs[0].count, labels.count)
        for (row, label) in zip(runs[0], labels) { XCTAssertEqual(Int64(row[0]), label.subjectID) }
        XCTAssertNotEqual(runs[0][0][1], runs[0][1][1], "the two prediction times of one subject")
        for (a, b) in zip(runs[0], runs[1]) {
            XCTAssertEqual(a[1], b[1])
            let p = try XCTUnwrap(Double(a[2])), q = try XCTUnwrap(Double(b[2]))
            XCTAssertTrue(p > 0 && p < 1)
            XCTAssertEqual(p, q, accuracy: 1e-5, "a score depends on its batch")
        }
    }

    func testScoringNeedsAFinetunedFolderAndKnownSubjects() throws {
        let dir = try EHRFixture.temporaryFolder("score-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (timelines, labels) = EHRFixture.cohort(count: 20)
        let events = dir.appendingPathComponent("events.csv"), labelFile = dir.appendingPathComponent("labels.csv")
        try EHRFixture.writeEvents(timelines, to: events)
        try EHRFixture.writeLabels(labels, to: labelFile)
        let model = dir.appendingPathComponent("model")
        try EHRFixture.run(ehrTrainJob, ["--config", try EHRFixture.writeConfig(in: dir, steps: 1).path, "--events", events.path,
                                         "--out", model.path])
        let out = dir.appendingPathComponent("scores.csv")
        let noHead = EHRFixture.failure(ehrScoreJob, ["--model", model.path, "--events", events.path, "--labels", labelFile.path,
                                                      "--out", out.path])
        XCTAssertTrue(noHead.contains("head.json") && noHead.contains("finetune"), noHead)
        // A head of the wrong width is refused before anything is scored.
        let head = TaskHead(kind: .probe, weights: [1, 2, 3], bias: 0)
        try JSONEncoder().encode(head).write(to: model.appendingPathComponent("head.json"))
        let wrong = EHRFixture.failure(ehrScoreJob, ["--model", model.path, "--events", events.path, "--labels", labelFile.path,
                                                     "--out", out.path])
        XCTAssertTrue(wrong.contains("3 weights for a backbone of width 16"), wrong)
        XCTAssertTrue(EHRFixture.failure(ehrScoreJob, ["--model", model.path, "--events", events.path, "--labels", labelFile.path,
                                                       "--out", out.path, "--batch", "0"]).contains("--batch"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
    }
}
