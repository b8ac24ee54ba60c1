import EHR
import Foundation
import SequoiaKit
import SequoiaNN
import SequoiaTensor
import XCTest

final class FinetuneTests: XCTestCase {
    /// A pretrained tiny model, the synthetic cohort's events and labels, in one folder.
    private func pretrained(_ name: String, count: Int = 120) throws -> (dir: URL, model: URL, events: URL, labels: URL) {
        let dir = try EHRFixture.temporaryFolder(name)
        let (timelines, labels) = EHRFixture.cohort(count: count)
        let events = dir.appendingPathComponent("events.csv"), labelFile = dir.appendingPathComponent("labels.csv")
        try EHRFixture.writeEvents(timelines, to: events)
        try EHRFixture.writeLabels(labels, to: labelFile)
        let config = try EHRFixture.writeConfig(in: dir, steps: 6, maxLength: 64)
        let model = dir.appendingPathComponent("pretrained")
        try EHRFixture.run(ehrTrainJob, ["--config", config.path, "--events", events.path, "--out", model.path])
        return (dir, model, events, labelFile)
    }

    func testProbeFoldsTheTwoClassSoftmaxIntoOneLogit() {
        var rng = RandomGenerator(seed: 4)
        let rows = 60, width = 5
        let features = (0..<rows * width).map { _ in rng.nextNormal() * 3 + 1 }
        let outcomes = (0..<rows).map { features[$0 * width] + rng.nextNormal() > 1 ? 1 : 0 }
        let head = TaskHead.fitProbe(features: features, width: width, outcomes: outcomes, folds: 3, seed: 2)
        let (reference, _) = LogisticRegression.crossValidated(features: features, rows: rows, columns: width, labels: outcomes,
                                                               classCount: 2, folds: 3, seed: 2)
        let expected = reference.predictProbabilities(features: features, rows: rows)
        for (row, p) in head.probabilities(features).enumerated() { XCTAssertEqual(p, expected[row * 2 + 1], accuracy: 1e-9) }
        XCTAssertEqual(head.kind, .probe)
        XCTAssertEqual(head.l2, reference.l2)
    }

    func testProbeWritesACompleteTaskFolderAndReportsTuningAUROC() throws {
        let (dir, model, events, labels) = try pretrained("probe")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("task")
        try EHRFixture.run(ehrFinetuneJob, ["--model", model.path, "--events", events.path, "--labels", labels.path, "--out", out.path])
        for file in ["config.json", "model.safetensors", "tokenizer.json", "ehr.json", "head.json", "finetune.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        // A probe leaves the backbone as pretrained.
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("model.safetensors")),
                       try Data(contentsOf: model.appendingPathComponent("model.safetensors")))
        let head = try JSONDecoder().decode(TaskHead.self, from: Data(contentsOf: out.appendingPathComponent("head.json")))
        XCTAssertEqual(head.kind, .probe)
        XCTAssertEqual(head.weights.count, 16)
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("finetune.json"))) as? [String: Any]
        XCTAssertEqual(report?["head"] as? String, "probe")
        XCTAssertGreaterThan(report?["train_labels"] as? Int ?? 0, 60)
        // The history decides the synthetic label, so the probe must rank the train split well above chance.
        let scores = dir.appendingPathComponent("scores.csv")
        try EHRFixture.run(ehrScoreJob, ["--model", out.path, "--events", events.path, "--labels", labels.path, "--out", scores.path])
        let cohort = try MEDSReader.read(events.path)
        let (_, truth) = EHRFixture.cohort(count: 120)
        let rows = try EHRFixture.scoreRows(scores)
        let train = truth.indices.filter { cohort.split(of: truth[$0].subjectID) == .train }
        let auroc = BinaryClassificationMetrics.auroc(labels: train.map { truth[$0].value == 1 },
                                                      scores: train.map { Double(rows[$0][2])! })
        XCTAssertGreaterThan(try XCTUnwrap(auroc), 0.7)
    }

    func testFullFineTuningTrainsTheBackboneAndSelectsOnTuning() throws {
        let (dir, model, events, labels) = try pretrained("full", count: 60)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("task")
        try EHRFixture.run(ehrFinetuneJob, ["--model", model.path, "--events", events.path, "--labels", labels.path,
                                            "--out", out.path, "--head", "full", "--epochs", "2", "--batch", "8", "--lr", "0.003"])
        let head = try JSONDecoder().decode(TaskHead.self, from: Data(contentsOf: out.appendingPathComponent("head.json")))
        XCTAssertEqual(head.kind, .full)
        XCTAssertNil(head.l2)
        XCTAssertNotEqual(try Data(contentsOf: out.appendingPathComponent("model.safetensors")),
                          try Data(contentsOf: model.appendingPathComponent("model.safetensors")))
        let metrics = try String(contentsOf: out.appendingPathComponent("training/metrics.jsonl"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("\"loss\""), metrics)
        // The folder loads as a backbone of the pretrained shape plus its head, and scores.
        let folder = try TimelineModelFolder(out)
        XCTAssertEqual(folder.model.backbone.hiddenSize, head.weights.count)
        let scores = dir.appendingPathComponent("scores.csv")
        try EHRFixture.run(ehrScoreJob, ["--model", out.path, "--events", events.path, "--labels", labels.path, "--out", scores.path])
        XCTAssertEqual(try EHRFixture.scoreRows(scores).count, 60)
    }

    /// --pause-at and --resume mean what they mean in every training job: a full fine-tune paused between
    /// epochs and resumed selects the same epoch and writes the same task model as a straight run.
    func testFullFineTuningPausedAndResumedMatchesTheStraightRun() throws {
        let (dir, model, events, labels) = try pretrained("full-resume", count: 60)
        defer { try? FileManager.default.removeItem(at: dir) }
        let common = ["--model", model.path, "--events", events.path, "--labels", labels.path, "--head", "full", "--epochs", "3",
                      "--batch", "8", "--lr", "0.003"]
        let straight = dir.appendingPathComponent("straight"), split = dir.appendingPathComponent("split")
        try EHRFixture.run(ehrFinetuneJob, common + ["--out", straight.path])
        try EHRFixture.run(ehrFinetuneJob, common + ["--out", split.path, "--pause-at", "6"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: split.appendingPathComponent("head.json").path),
                       "a paused fine-tune writes no task model")
        try EHRFixture.run(ehrFinetuneJob, common + ["--out", split.path, "--resume"])
        for file in ["model.safetensors", "head.json"] {
            XCTAssertEqual(try Data(contentsOf: straight.appendingPathComponent(file)), try Data(contentsOf: split.appendingPathComponent(file)), file)
        }
    }

    func testBadFinetuneInputsFailWithOneLine() throws {
        let (dir, model, events, labels) = try pretrained("finetune-bad", count: 40)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("task").path
        func failure(_ extra: [String], labels labelFile: URL? = nil) -> String {
            EHRFixture.failure(ehrFinetuneJob, ["--model", model.path, "--events", events.path,
                                                "--labels", (labelFile ?? labels).path, "--out", out] + extra)
        }
        XCTAssertTrue(failure(["--head", "forest"]).contains("probe or full"))
        XCTAssertTrue(failure(["--folds", "1"]).contains("--folds"))
        let stranger = dir.appendingPathComponent("stranger.csv")
        try EHRFixture.writeLabels([PredictionLabel(subjectID: 99_999, predictionTime: EHRFixture.start, value: 1)], to: stranger)
        XCTAssertTrue(failure([], labels: stranger).contains("99999"), failure([], labels: stranger))
        let graded = dir.appendingPathComponent("graded.csv")
        try "subject_id,prediction_time,integer_value\n100,2001-06-01 00:00:00,2\n".write(to: graded, atomically: true, encoding: .utf8)
        XCTAssertTrue(failure([], labels: graded).contains("subject 100 at prediction time 2001-06-01"), failure([], labels: graded))
        XCTAssertTrue(EHRFixture.failure(ehrFinetuneJob, ["--model", dir.path, "--events", events.path, "--labels", labels.path,
                                                          "--out", out]).contains("config.json"))
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: out).appendingPathComponent("keep"))
        XCTAssertTrue(failure([]).contains("not empty"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/head.json"))
    }
}
