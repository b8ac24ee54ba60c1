import EHR
import Foundation
import SequoiaKit
import XCTest

/// train -> finetune (probe) -> score on the bundled Eunomia cohort (2,694 subjects, the NSAID
/// GI-bleed label), with a model small enough for the test suite.
final class EHRJobsEunomiaTests: XCTestCase {
    func testTrainFinetuneScoreOnEunomia() throws {
        let dir = try EHRFixture.temporaryFolder("eunomia")
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = EHRFixture.eunomia.appendingPathComponent("meds_events.parquet").path
        let labels = EHRFixture.eunomia.appendingPathComponent("derived_labels_nsaid_gi_bleed_365d.parquet").path
        let config = dir.appendingPathComponent("config.json")
        try """
        {"model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1, "state_size": 4, "pad_vocab_size_multiple": 8},
         "training": {"steps": 3, "learning_rate": 0.003, "log_every": 1, "eval_every": 3, "seed": 2},
         "data": {"batch": 8, "max_length": 32, "eval_subjects": 32}}
        """.write(to: config, atomically: true, encoding: .utf8)
        let model = dir.appendingPathComponent("model"), task = dir.appendingPathComponent("task")
        let scores = dir.appendingPathComponent("scores.csv")
        try EHRFixture.run(ehrTrainJob, ["--config", config.path, "--events", events, "--out", model.path])
        try EHRFixture.run(ehrFinetuneJob, ["--model", model.path, "--events", events, "--labels", labels, "--out", task.path,
                                            "--batch", "64"])
        try EHRFixture.run(ehrScoreJob, ["--model", task.path, "--events", events, "--labels", labels, "--out", scores.path,
                                         "--batch", "64"])

        let expected = try MEDSLabels.read(labels)
        XCTAssertEqual(expected.count, 2694)
        let rows = try EHRFixture.scoreRows(scores)
        XCTAssertEqual(rows.count, expected.count)
        XCTAssertEqual(rows.map { Int64($0[0])! }, expected.map(\.subjectID))
        XCTAssertTrue(rows.allSatisfy { Double($0[2]).map { $0 > 0 && $0 < 1 } ?? false })
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: task.appendingPathComponent("finetune.json"))) as? [String: Any]
        let auroc = try XCTUnwrap(report?["tuning_auroc"] as? Double, "Eunomia's tuning split has both outcomes")
        XCTAssertTrue((0...1).contains(auroc))
    }
}
