import Foundation
import XCTest

/// `sequoia genomics train` and `eval` end to end on a real bundled chromosome, with a model
/// small enough for the test suite.
final class GenomicsCLITests: XCTestCase {
    private let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data/dna")

    private func folder(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sequoia-\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A two-stage length warm-up on a 1-layer Hyena of width 16.
    private func writeConfig(in dir: URL, steps: Int) throws -> URL {
        let config = """
        {"model": {"model_type": "hyenadna", "d_model": 16, "n_layer": 1, "d_inner": 32, "vocab_size": 12,
                   "max_seq_len": 128, "emb_dim": 3, "filter_order": 8, "pad_vocab_size_multiple": 8},
         "training": {"steps": \(steps), "learning_rate": 0.003, "warmup_steps": 2, "checkpoint_every": 3,
                      "log_every": 2, "seed": 5},
         "data": {"stages": [{"length": 64, "batch": 2, "steps": 3}, {"length": 128, "batch": 1}]}}
        """
        let url = dir.appendingPathComponent("config.json")
        try config.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testResumeContinuesTheSameRunBitForBit() throws {
        let dir = folder("genomics-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fasta = data.appendingPathComponent("yeast_chrI_Biostrings.fa").path
        let config = try writeConfig(in: dir, steps: 8).path
        let straight = dir.appendingPathComponent("straight").path, split = dir.appendingPathComponent("split").path

        var r = try runSequoia(["genomics", "train", "--config", config, "--fasta", fasta, "--out", straight])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try runSequoia(["genomics", "train", "--config", config, "--fasta", fasta, "--out", split, "--pause-at", "4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try runSequoia(["genomics", "train", "--config", config, "--fasta", fasta, "--out", split, "--resume"])
        XCTAssertEqual(r.status, 0, r.stderr)

        for file in ["model.safetensors", "config.json"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: straight).appendingPathComponent(file))
            let b = try Data(contentsOf: URL(fileURLWithPath: split).appendingPathComponent(file))
            XCTAssertEqual(a, b, "\(file) differs between a straight run and an interrupted one")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: straight + "/loss.svg"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: straight + "/metrics.jsonl"))

        // The trained folder evaluates, beside a Markov baseline, as one JSON object.
        r = try runSequoia(["genomics", "eval", "--model", straight, "--fasta", fasta, "--length", "128", "--json",
                            "--max-order", "4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let markov = json?["markov"] as? [String: Any], model = json?["model"] as? [String: Any]
        let markovBits = try XCTUnwrap(markov?["bits_per_nt"] as? Double)
        let modelBits = try XCTUnwrap(model?["bits_per_nt"] as? Double)
        XCTAssertGreaterThan(markovBits, 1.5)
        XCTAssertLessThan(markovBits, 2.1)
        XCTAssertTrue(modelBits.isFinite && modelBits > 1 && modelBits < 4, "\(modelBits)")
        XCTAssertGreaterThan(try XCTUnwrap(json?["scored_nucleotides"] as? Int), 10_000)
    }

    func testBadInputIsOneLineNamingTheFile() throws {
        let dir = folder("genomics-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = try writeConfig(in: dir, steps: 2).path
        let notFasta = dir.appendingPathComponent("reads.fa")
        try "this is not a FASTA file\n".write(to: notFasta, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out").path
        for (fasta, expect) in [(notFasta.path, "reads.fa"), (dir.appendingPathComponent("missing.fa").path, "missing.fa")] {
            let r = try runSequoia(["genomics", "train", "--config", config, "--fasta", fasta, "--out", out])
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(expect), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/model.safetensors"))

        // A window longer than the model allows is caught before training starts.
        let long = dir.appendingPathComponent("long.json")
        try String(contentsOfFile: config).replacingOccurrences(of: "\"length\": 128", with: "\"length\": 4096")
            .write(to: long, atomically: true, encoding: .utf8)
        let r = try runSequoia(["genomics", "train", "--config", long.path, "--fasta",
                                data.appendingPathComponent("yeast_chrI_Biostrings.fa").path, "--out", out])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("maximum length"), r.stderr)
    }
}
