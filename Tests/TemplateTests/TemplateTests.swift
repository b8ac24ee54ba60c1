import Foundation
import SequoiaKit
import Template
import XCTest

/// The template plugin end to end, as a new plugin's own tests would go: train (paused and resumed
/// gives the same weights), embed into the shared HDF5 layout, and one-line errors for bad input.
final class TemplateTests: XCTestCase {
    private func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("template-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func run(_ job: Job, _ arguments: [String]) throws {
        try job.run(ParsedOptions(arguments, options: job.options, command: "template \(job.name)"))
    }

    /// A config for a tiny model of `backbone` (the fields the registry needs, vocab_size set by the job).
    private func config(in dir: URL, backbone: String = "mamba", steps: Int = 6) throws -> String {
        let models = [
            "mamba": #"{"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1, "state_size": 4}"#,
            "attention": #"{"sequoia_backbone": "attention", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2}"#,
        ]
        let text = #"{"model": \#(models[backbone]!), "training": {"steps": \#(steps), "learning_rate": 0.01, "checkpoint_every": 2, "log_every": 1}, "data": {"batch": 3, "max_length": 24}}"#
        let url = dir.appendingPathComponent("\(backbone).json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func lines(in dir: URL) throws -> String {
        let url = dir.appendingPathComponent("lines.txt")
        let text = (0..<10).map { "line \($0): " + String(repeating: "ab", count: $0 + 1) }.joined(separator: "\n") + "\n\n"
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testTrainPauseResumeAndEmbed() throws {
        let dir = try folder("train")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (config, text) = (try config(in: dir), try lines(in: dir))
        let straight = dir.appendingPathComponent("straight"), split = dir.appendingPathComponent("split")
        try run(templateTrainJob, ["--config", config, "--lines", text, "--out", straight.path])
        try run(templateTrainJob, ["--config", config, "--lines", text, "--out", split.path, "--pause-at", "3"])
        try run(templateTrainJob, ["--config", config, "--lines", text, "--out", split.path, "--resume"])
        let weights = { (url: URL) in try Data(contentsOf: url.appendingPathComponent("model.safetensors")) }
        XCTAssertEqual(try weights(straight), try weights(split), "a paused and resumed run must match the straight one")
        let metrics = try String(contentsOf: straight.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        let losses = metrics.split(separator: "\n").compactMap { line -> Double? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["loss"] as? Double
        }
        XCTAssertEqual(losses.count, 6)
        XCTAssertLessThan(losses.last!, losses.first!, "the next-byte loss falls")

        let out = dir.appendingPathComponent("lines.h5").path
        try run(templateEmbedJob, ["--model", straight.path, "--lines", text, "--out", out, "--batch", "4", "--per-position"])
        let file = try HDF5File.openReadOnly(out)
        defer { try? file.close() }
        XCTAssertEqual(try file.root.dataset("ids").readStrings(), (1...10).map { "line:\($0)" })
        XCTAssertEqual(try file.root.dataset("mean").shape(), [10, 8])
        XCTAssertEqual(try file.root.intAttribute("d_model"), 8)
        XCTAssertEqual(try file.root.intAttribute("layout_version"), EmbeddingWriter.layoutVersion)
        // Each mean is its line's per-position states averaged: padding never enters it.
        let states = try file.root.dataset("per_position/line:10").readFloat32()
        let mean = try file.root.dataset("mean").readFloat32()
        let length = states.count / 8
        XCTAssertEqual(length, "line 9: ".count + 20)
        for c in 0..<8 {
            let average = (0..<length).map { Double(states[$0 * 8 + c]) }.reduce(0, +) / Double(length)
            XCTAssertEqual(Double(mean[9 * 8 + c]), average, accuracy: 1e-5)
        }
    }

    func testEmbeddingsAreTheSameWhateverTheBatch() throws {
        let dir = try folder("batch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (config, text) = (try config(in: dir, backbone: "attention", steps: 1), try lines(in: dir))
        let model = dir.appendingPathComponent("model").path
        try run(templateTrainJob, ["--config", config, "--lines", text, "--out", model])
        var means: [[Float]] = []
        for batch in ["1", "7"] {
            let out = dir.appendingPathComponent("b\(batch).h5").path
            try run(templateEmbedJob, ["--model", model, "--lines", text, "--out", out, "--batch", batch])
            let file = try HDF5File.openReadOnly(out)
            means.append(try file.root.dataset("mean").readFloat32())
            try file.close()
        }
        XCTAssertEqual(means[0].count, means[1].count)
        for (a, b) in zip(means[0], means[1]) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testBadInputFailsWithOneLineAndWritesNothing() throws {
        let dir = try folder("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try config(in: dir)
        func failure(_ job: Job, _ arguments: [String]) -> String {
            do { try run(job, arguments); return "no error" } catch { return "\(error)" }
        }
        let empty = dir.appendingPathComponent("empty.txt")
        try Data("\n\n".utf8).write(to: empty)
        let out = dir.appendingPathComponent("out").path
        XCTAssertEqual(failure(templateTrainJob, ["--config", config, "--lines", empty.path, "--out", out]), "\(empty.path): no non-empty line")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let bidirectional = dir.appendingPathComponent("bi.json")
        try Data(#"{"model": {"sequoia_backbone": "bimamba-s", "d_model": 8, "n_layer": 1}}"#.utf8).write(to: bidirectional)
        XCTAssertTrue(failure(templateTrainJob, ["--config", bidirectional.path, "--lines", empty.path, "--out", out])
            .hasSuffix("model: next-byte training needs a causal backbone"))
        let missing = failure(templateEmbedJob, ["--model", dir.appendingPathComponent("none").path, "--lines", empty.path, "--out", out + ".h5"])
        XCTAssertTrue(missing.contains("config.json: cannot read the model config"), missing)
        XCTAssertFalse(missing.contains("\n"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + ".h5"))
    }
}
