import EHR
import Foundation
import SequoiaKit
import SequoiaTensor
import XCTest

/// Synthetic MEDS cohorts written as CSV, tiny model configs, and running the EHR jobs in-process.
enum EHRFixture {
    static let eunomia = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/ehr/eunomia")

    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ehr-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 946_684_800_000_000  // 2000-01-01

    /// `count` subjects: a static sex fact, then 8-40 daily-ish events over codes C0...C9 (some with a
    /// lab value). The prediction time is the time of its middle event; the subject is positive when
    /// the last event before it is C7 or C8, so the label is learnable from the history alone.
    static func cohort(count: Int = 80, seed: UInt64 = 3) -> (timelines: [Timeline], labels: [PredictionLabel]) {
        var rng = RandomGenerator(seed: seed)
        var timelines: [Timeline] = [], labels: [PredictionLabel] = []
        for s in 0..<count {
            let id = Int64(100 + s)
            var events = [MEDSEvent(time: nil, code: rng.nextInt(2) == 0 ? "SEX//F" : "SEX//M")]
            var time = start + Int64(rng.nextInt(365)) * day
            let n = 8 + rng.nextInt(33)
            for _ in 0..<n {
                time += Int64(1 + rng.nextInt(20)) * day
                let code = "C\(rng.nextInt(10))"
                events.append(MEDSEvent(time: time, code: code, numericValue: code == "C3" ? Double(rng.nextInt(100)) : nil))
            }
            let middle = events[1 + n / 2].time!
            let positive = ["C7", "C8"].contains(events[n / 2].code)
            timelines.append(Timeline(subjectID: id, events: events))
            labels.append(PredictionLabel(subjectID: id, predictionTime: middle, value: positive ? 1 : 0))
        }
        return (timelines, labels)
    }

    /// "YYYY-MM-DD HH:MM:SS.ffffff" (UTC) of microseconds since 1970.
    static func timestamp(_ micros: Int64) -> String {
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%06d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros % 1_000_000))
    }

    /// MEDS events as CSV (subject_id,time,code,numeric_value; empty time for static facts).
    static func writeEvents(_ timelines: [Timeline], to url: URL) throws {
        var text = "subject_id,time,code,numeric_value\n"
        for timeline in timelines {
            for event in timeline.events {
                text += "\(timeline.subjectID),\(event.time.map(timestamp) ?? ""),\(event.code),"
                    + (event.numericValue.map { "\($0)" } ?? "") + "\n"
            }
        }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// MEDS labels as CSV (subject_id,prediction_time,boolean_value).
    static func writeLabels(_ labels: [PredictionLabel], to url: URL) throws {
        var text = "subject_id,prediction_time,boolean_value\n"
        for label in labels { text += "\(label.subjectID),\(timestamp(label.predictionTime)),\(label.value == 1)\n" }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A tiny model section for each causal backbone.
    static let tinyModels: [String: String] = [
        "mamba": #"{"sequoia_backbone": "mamba", "hidden_size": 16, "num_hidden_layers": 2, "state_size": 4, "pad_vocab_size_multiple": 8}"#,
        "hyena": #"{"sequoia_backbone": "hyena", "d_model": 16, "n_layer": 1, "d_inner": 32, "max_seq_len": 64, "emb_dim": 3, "filter_order": 8, "embed_dropout": 0.0}"#,
        "attention": #"{"sequoia_backbone": "attention", "hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 1, "num_attention_heads": 2, "max_position_embeddings": 64}"#,
    ]

    /// A training config with a tiny backbone, short windows and frequent checkpoints and evaluations.
    static func writeConfig(in dir: URL, backbone: String = "mamba", steps: Int = 8, maxLength: Int = 48) throws -> URL {
        let json = """
        {"model": \(tinyModels[backbone]!),
         "training": {"steps": \(steps), "learning_rate": 0.003, "warmup_steps": 1, "log_every": 1, "eval_every": 2,
                      "checkpoint_every": 2, "seed": 5},
         "data": {"batch": 4, "max_length": \(maxLength), "eval_subjects": 16}}
        """
        let url = dir.appendingPathComponent("config-\(backbone).json")
        try json.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func run(_ job: Job, _ arguments: [String]) throws {
        try job.run(ParsedOptions(arguments, options: job.options, command: "ehr \(job.name)"))
    }

    static func failure(_ job: Job, _ arguments: [String]) -> String {
        do {
            try run(job, arguments)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    /// The rows of a scores.csv after its header, split into fields.
    static func scoreRows(_ url: URL) throws -> [[Substring]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
    }
}
