import Foundation
import XCTest

/// `sequoia ehr train | finetune | score | eval` through the built executable on the bundled Eunomia
/// cohort (the CSV copy, so the CLI's CSV path is covered; the jobs' own tests read the Parquet one).
final class EHRCLITests: XCTestCase {
    private let eunomia = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/ehr/eunomia")

    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sequoia-ehr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func check(_ r: (status: Int32, stdout: String, stderr: String), _ what: String) {
        XCTAssertEqual(r.status, 0, "\(what): \(r.stderr)")
    }

    func testPipelineResumesExactlyAndReportsBesideTheBaseline() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = eunomia.appendingPathComponent("meds_events.csv.gz").path
        let labels = eunomia.appendingPathComponent("derived_labels_nsaid_gi_bleed_365d.csv").path
        let config = dir.appendingPathComponent("config.json")
        try """
        {"model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1, "state_size": 4, "pad_vocab_size_multiple": 8},
         "training": {"steps": 6, "learning_rate": 0.003, "log_every": 2, "eval_every": 3, "checkpoint_every": 2, "seed": 4},
         "data": {"batch": 4, "max_length": 32, "eval_subjects": 16}}
        """.write(to: config, atomically: true, encoding: .utf8)
        let straight = dir.appendingPathComponent("straight").path, split = dir.appendingPathComponent("split").path
        let train = ["ehr", "train", "--config", config.path, "--events", events]
        check(try runSequoia(train + ["--out", straight]), "train")
        check(try runSequoia(train + ["--out", split, "--pause-at", "3"]), "train to the pause")
        check(try runSequoia(train + ["--out", split, "--resume"]), "resume")
        for file in ["model.safetensors", "config.json", "tokenizer.json"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: straight).appendingPathComponent(file))
            let b = try Data(contentsOf: URL(fileURLWithPath: split).appendingPathComponent(file))
            XCTAssertEqual(a, b, "\(file) differs between a straight run and a paused, resumed one")
        }

        let metrics = try String(contentsOfFile: straight + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        let first = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(metrics[0].utf8)) as? [String: Any])
        XCTAssertGreaterThan(first["events_per_s"] as? Double ?? 0, 0, "metrics.jsonl records events/s: \(first)")

        let task = dir.appendingPathComponent("task").path, scores = dir.appendingPathComponent("scores.csv").path
        check(try runSequoia(["ehr", "finetune", "--model", straight, "--events", events, "--labels", labels, "--out", task]), "finetune")
        let scored = try runSequoia(["ehr", "score", "--model", task, "--events", events, "--labels", labels, "--out", scores])
        check(scored, "score")
        let lines = try String(contentsOfFile: scores, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "subject_id,prediction_time,probability")
        XCTAssertEqual(lines.count, 1 + 2694)

        let eval = try runSequoia(["ehr", "eval", "--scores", scores, "--labels", labels, "--events", events, "--json", "-"])
        check(eval, "eval")
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(report["split"] as? String, "held_out")
        for side in ["model", "baseline"] {
            let metrics = (side == "model" ? report["model"] : (report["baseline"] as? [String: Any])?["metrics"]) as? [String: Any]
            let auroc = try XCTUnwrap(metrics?["auroc"] as? [String: Any], "\(side) AUROC")
            let (estimate, lower, upper) = (auroc["estimate"] as? Double ?? -1, auroc["lower"] as? Double ?? -1, auroc["upper"] as? Double ?? -1)
            XCTAssertTrue(lower <= estimate && estimate <= upper && (0...1).contains(estimate), "\(side): \(auroc)")
            XCTAssertEqual(auroc["replicates"] as? Int, 1000 - (auroc["skipped"] as? Int ?? 0))
        }
        XCTAssertEqual((report["strata"] as? [[String: Any]])?.map { $0["stratifier"] as? String }, ["repetition", "irregularity", "length"])

        let badHead = try runSequoia(["ehr", "finetune", "--model", straight, "--events", events, "--labels", labels,
                                      "--out", dir.appendingPathComponent("x").path, "--head", "forest"])
        XCTAssertEqual(badHead.status, 2)
        XCTAssertEqual(badHead.stderr.split(separator: "\n").count, 1, badHead.stderr)
        let noHead = try runSequoia(["ehr", "score", "--model", straight, "--events", events, "--labels", labels,
                                     "--out", dir.appendingPathComponent("s.csv").path])
        XCTAssertEqual(noHead.status, 1)
        XCTAssertEqual(noHead.stderr.split(separator: "\n").count, 1, noHead.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.csv").path))
    }
}
