import Foundation
import Proteins
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

/// Synthetic proteins, a tiny BiMamba-S config and a helper to run `sequoia proteins train`.
enum ProteinTrainFixture {
    static let letters = Array("LAGVSERTIDPKQNFYMHWC")

    static func temporaryFolder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("proteins-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// `count` proteins P0...; each repeats a short motif so a model can learn something.
    static func writeFasta(in dir: String, count: Int = 24, seed: UInt64 = 1) throws -> String {
        var rng = RandomGenerator(seed: seed)
        var text = ""
        for i in 0..<count {
            let motif = (0..<3).map { _ in letters[rng.nextInt(letters.count)] }
            let length = 20 + rng.nextInt(40)
            text += ">P\(i) synthetic protein \(i)\n" + String((0..<length).map { motif[$0 % 3] }) + "\n"
        }
        let path = dir + "/proteins.fasta"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func writeConfig(in dir: String, steps: Int = 4, extraData: String = "") throws -> String {
        let json = """
        {"model": {"model_type": "lc_plm", "d_model": 16, "n_layer": 2, "vocab_size": 33, "bidirectional": true,
                   "bidirectional_strategy": "add", "bidirectional_weight_tie": true, "mask_token_id": 32,
                   "ssm_cfg": {"d_state": 4, "d_conv": 4, "expand": 2}},
         "training": {"steps": \(steps), "learning_rate": 0.003, "warmup_steps": 1, "log_every": 1, "eval_every": 2,
                      "checkpoint_every": 2, "seed": 5},
         "data": {"batch": 4, "max_length": 48, "holdout_fraction": 0.2\(extraData)}}
        """
        let path = dir + "/config.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func run(_ arguments: [String]) throws {
        try trainJob.run(ParsedOptions(arguments, options: trainJob.options, command: "proteins train"))
    }

    static func failure(_ arguments: [String]) -> String {
        do {
            try run(arguments)
            return "no error"
        } catch {
            return "\(error)"
        }
    }
}

final class ProteinTrainTests: XCTestCase {
    func testResumedRunMatchesAnUninterruptedOneBitwise() throws {
        let dir = try ProteinTrainFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fasta = try ProteinTrainFixture.writeFasta(in: dir)
        let config = try ProteinTrainFixture.writeConfig(in: dir, steps: 6)
        try ProteinTrainFixture.run(["--config", config, "--fasta", fasta, "--out", dir + "/whole"])
        try ProteinTrainFixture.run(["--config", config, "--fasta", fasta, "--out", dir + "/split", "--pause-at", "3"])
        try ProteinTrainFixture.run(["--config", config, "--fasta", fasta, "--out", dir + "/split", "--resume"])
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/whole/model.safetensors"))
        let split = try Data(contentsOf: URL(fileURLWithPath: dir + "/split/model.safetensors"))
        XCTAssertEqual(whole, split)
        for folder in ["whole", "split"] {
            XCTAssert(FileManager.default.fileExists(atPath: "\(dir)/\(folder)/config.json"))
        }
        let metrics = try String(contentsOfFile: dir + "/whole/metrics.jsonl", encoding: .utf8)
        XCTAssert(metrics.contains("heldout_perplexity"), metrics)
        // The checkpoint uses LC-PLM's names and loads back as a model folder.
        let names = try SafeTensors(contentsOf: URL(fileURLWithPath: dir + "/whole/model.safetensors")).tensors().keys
        XCTAssert(names.contains("bimamba.backbone.embedding.weight"), "\(names.sorted())")
        XCTAssert(names.contains("lm_head.weight"))
    }

    func testHeldOutSplitIsStableAndNearTheFraction() {
        let ids = (0..<20_000).map { "sp|Q\($0)|X_HUMAN" }
        let held = ids.filter { isHeldOut($0, fraction: 0.1, seed: 3) }
        XCTAssertEqual(Double(held.count) / 20_000, 0.1, accuracy: 0.01)
        XCTAssertEqual(held, ids.reversed().filter { isHeldOut($0, fraction: 0.1, seed: 3) }.reversed())
        XCTAssertFalse(isHeldOut("P1", fraction: 0, seed: 3))
    }

    func testBadConfigsFailWithOneLine() throws {
        let dir = try ProteinTrainFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fasta = try ProteinTrainFixture.writeFasta(in: dir)
        let small = dir + "/small.json"
        try #"{"model": {"model_type": "lc_plm", "d_model": 8, "n_layer": 1, "vocab_size": 16}}"#
            .write(toFile: small, atomically: true, encoding: .utf8)
        XCTAssert(ProteinTrainFixture.failure(["--config", small, "--fasta", fasta, "--out", dir + "/o"]).contains("vocab_size 16"))
        let noModel = dir + "/nomodel.json"
        try #"{"training": {"steps": 1}}"#.write(toFile: noModel, atomically: true, encoding: .utf8)
        XCTAssert(ProteinTrainFixture.failure(["--config", noModel, "--fasta", fasta, "--out", dir + "/o"]).contains("\"model\""))
    }

    func testPaddingDoesNotLeakIntoTheMaskedLoss() throws {
        var init_ = RandomGenerator(seed: 8)
        let model = try BiMambaLanguageModel(LcPlmConfig(dModel: 16, nLayer: 2, vocabSize: 33), rng: &init_)
        model.eval()
        var gen = RandomGenerator(seed: 6)
        let rows: [[Int32]] = [9, 30, 17].map { n in [0] + (0..<n).map { _ in Int32(4 + gen.nextInt(20)) } + [2] }
        let data = try ProteinBatches(sequences: rows, batchSize: 3, maxLength: 64, seed: 1)
        var rng = RandomGenerator(seed: 2)
        let batch = data.makeBatch(rows, rng: &rng)
        var nats = 0.0
        let width = batch.ids.shape[1]
        for r in 0..<3 {
            let n = batch.lengths[r]
            let single = MaskedBatch(rows: [Array(batch.ids.scalars[r * width..<r * width + n])],
                                     labels: [Array(batch.labels.scalars[r * width..<r * width + n])], padId: 1)
            nats += Double(maskedLoss(model, single).item()) * Double(single.labelledCount)
        }
        XCTAssertEqual(Double(maskedLoss(model, batch).item()), nats / Double(batch.labelledCount), accuracy: 1e-5)
    }
}
