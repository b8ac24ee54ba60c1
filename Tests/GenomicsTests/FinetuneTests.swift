import Foundation
import Genomics
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class FinetuneTests: XCTestCase {
    /// A one-layer Hyena small enough for debug-build training.
    static let tinyConfig = #"{"sequoia_backbone":"hyena","d_model":16,"n_layer":1,"d_inner":32,"vocab_size":12,"#
        + #""max_seq_len":64,"emb_dim":3,"filter_order":8,"pad_vocab_size_multiple":8,"embed_dropout":0}"#

    /// Two classes told apart by composition (A/T-rich vs G/C-rich), of uneven lengths so padding matters.
    private func separableTable(in dir: String, rows: Int = 48) throws -> String {
        var rng = RandomGenerator(seed: 7)
        var lines = ["id,sequence,label"]
        for i in 0..<rows {
            let rich = i % 2 == 0 ? Array("AT") : Array("GC"), any = Array("ACGT")
            let length = 12 + rng.nextInt(12)
            let letters = (0..<length).map { _ in rng.nextInt(10) < 8 ? rich[rng.nextInt(2)] : any[rng.nextInt(4)] }
            lines.append("\(i),\(String(letters)),\(i % 2 == 0 ? "at" : "gc")")
        }
        return try TestFiles.write(lines.joined(separator: "\n") + "\n", "table.csv", in: dir)
    }

    private func run(_ arguments: [String]) throws { try runJob(finetuneJob, arguments) }

    private func failure(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        jobFailure(finetuneJob, arguments, file: file, line: line)
    }

    func testFinetuneLearnsSeparableClassesAndWritesTheClassifierFolder() throws {
        let dir = try TestFiles.scratch(self)
        let table = try separableTable(in: dir)
        let config = try TestFiles.write(Self.tinyConfig, "model.json", in: dir)
        let out = dir + "/run"
        try run(["--data", table, "--config", config, "--out", out, "--epochs", "8", "--batch", "8", "--lr", "3e-3",
                 "--held-out", "0.25", "--seed", "1"])

        let eval = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/eval.json"))) as! [String: Any]
        XCTAssertGreaterThanOrEqual(eval["accuracy"] as! Double, 0.9)
        XCTAssertEqual(eval["held_out"] as? Int, 12)
        XCTAssertNotNil(eval["mcc"] as? Double)
        let labels = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/labels.json"))) as? [String]
        XCTAssertEqual(labels, ["at", "gc"])
        let weights = try SafeTensors(contentsOf: URL(fileURLWithPath: out + "/model.safetensors")).tensors()
        XCTAssertEqual(weights["classifier.weight"]?.shape, [2, 16])
        XCTAssertEqual(weights["classifier.bias"]?.shape, [2])
        XCTAssertNotNil(weights["hyena.backbone.ln_f.weight"])
        XCTAssertNotNil(weights["lm_head.weight"])
        let savedConfig = try Data(contentsOf: URL(fileURLWithPath: out + "/config.json"))
        XCTAssertEqual(try decodeConfig(HyenaConfig.self, from: savedConfig), try decodeConfig(HyenaConfig.self, from: Data(Self.tinyConfig.utf8)))

        // The published backbone loads as a pretrained model for a second fine-tuning run.
        let backbone = dir + "/backbone"
        try FileManager.default.createDirectory(atPath: backbone, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: out + "/config.json", toPath: backbone + "/config.json")
        try SafeTensors.write(weights.filter { !$0.key.hasPrefix("classifier.") }, to: URL(fileURLWithPath: backbone + "/model.safetensors"))
        try run(["--data", table, "--model", backbone, "--out", dir + "/again", "--epochs", "1", "--batch", "16"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/again/eval.json"))
    }

    func testConfigFileSectionsSetModelAndTraining() throws {
        let dir = try TestFiles.scratch(self)
        let table = try separableTable(in: dir, rows: 20)
        let config = try TestFiles.write(#"{"model": \#(Self.tinyConfig), "training": {"epochs": 2, "batch": 4, "held_out": 0.5, "learning_rate": 0.002}}"#,
                                         "finetune.json", in: dir)
        try run(["--data", table, "--config", config, "--out", dir + "/run"])
        let eval = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/run/eval.json"))) as! [String: Any]
        XCTAssertEqual(eval["held_out"] as? Int, 10)
        XCTAssertEqual(eval["steps"] as? Int, 2 * 3)
        XCTAssertEqual(eval["epochs"] as? Int, 2)
    }

    /// --resume means what it means in every training job: continue a checkpointed run, or start afresh
    /// when the folder holds none; a paused run resumed ends with the straight run's weights.
    func testResumeStartsFreshWithoutACheckpointAndContinuesAPausedRun() throws {
        let dir = try TestFiles.scratch(self)
        let table = try separableTable(in: dir, rows: 24)
        let config = try TestFiles.write(Self.tinyConfig, "model.json", in: dir)
        let common = ["--data", table, "--config", config, "--epochs", "2", "--batch", "8"]
        try run(common + ["--out", dir + "/straight", "--resume"])
        try run(common + ["--out", dir + "/split", "--pause-at", "3"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/split/eval.json"))
        try run(common + ["--out", dir + "/split", "--resume"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/straight/model.safetensors")),
                       try Data(contentsOf: URL(fileURLWithPath: dir + "/split/model.safetensors")))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/split/eval.json"))
    }

    func testShuffledBatchesCoverEachEpochAndResumeFromTheirPosition() throws {
        let sequences = (0..<10).map { [Int32($0 % 4 + 7)] + [Int32](repeating: 7, count: $0 % 3) }
        var data = LabelledBatch.epochs(sequences: sequences, labels: Array(0..<10), batchSize: 4, seed: 3)
        XCTAssertEqual(data.batchesPerEpoch, 3)
        var rng = RandomGenerator(seed: 0)
        var epochs: [[Int32]] = [[], []]
        var saved: EpochOrder?
        var afterSave: [[Int32]] = []
        for step in 0..<6 {
            if step == 4 { saved = data.position }
            let batch = try data.next(rng: &rng)
            XCTAssertEqual(batch.ids.shape, [batch.lengths.count, batch.lengths.max()!])
            XCTAssertEqual(batch.tokenCount, batch.lengths.reduce(0, +))
            epochs[step / 3] += batch.labels.scalars
            if step >= 4 { afterSave.append(batch.labels.scalars) }
        }
        for epoch in epochs { XCTAssertEqual(epoch.sorted(), (0..<10).map(Int32.init)) }
        XCTAssertNotEqual(epochs[0], epochs[1], "each epoch reshuffles")
        var restored = LabelledBatch.epochs(sequences: sequences, labels: Array(0..<10), batchSize: 4, seed: 3)
        restored.position = saved!
        XCTAssertEqual(try (0..<2).map { _ in try restored.next(rng: &rng).labels.scalars }, afterSave)
    }

    func testPaddingDoesNotChangeAPooledPrediction() throws {
        let model = try ModelRegistry.shared.build(config: Data(Self.tinyConfig.utf8), seed: 2)
        var rng = RandomGenerator(seed: 5)
        let classifier = SequenceClassifier(model: model, classCount: 3, rng: &rng)
        classifier.eval()
        let short: [Int32] = [7, 8, 9, 10, 7], long: [Int32] = [10, 10, 9, 8, 7, 7, 8, 9, 11]
        let alone = LabelledBatch(sequences: [short], labels: [0])
        let padded = LabelledBatch(sequences: [short, long], labels: [0, 1])
        let a = classifier(alone.ids, lengths: alone.lengths).scalars
        let b = Array(classifier(padded.ids, lengths: padded.lengths).scalars.prefix(3))
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: 1e-5) }
    }

    func testBadInputsFailWithOneLineAndLeaveNothing() throws {
        let dir = try TestFiles.scratch(self)
        let table = try separableTable(in: dir, rows: 10)
        let config = try TestFiles.write(Self.tinyConfig, "model.json", in: dir)
        let out = dir + "/out"
        func common(_ data: String) -> [String] { ["--data", data, "--config", config, "--out", out, "--epochs", "1"] }

        XCTAssertTrue(failure(["--data", table, "--out", out]).contains("exactly one of --model"))
        XCTAssertTrue(failure(common(table) + ["--label-column", "class"]).contains("column 'class': missing from the header"))
        let badLetter = try TestFiles.write("sequence,label\nACGT,a\nACXT,b\n", "bad.csv", in: dir)
        XCTAssertTrue(failure(common(badLetter)).contains("bad.csv:3: column 'sequence': invalid letter 'X' at position 3"))
        let oneClass = try TestFiles.write("sequence,label\nACGT,a\nACCT,a\n", "one.csv", in: dir)
        XCTAssertTrue(failure(common(oneClass)).contains("only one label"))
        let tooLong = try TestFiles.write("sequence,label\nACGT,a\n\(String(repeating: "A", count: 65)),b\n", "long.csv", in: dir)
        XCTAssertTrue(failure(common(tooLong)).contains("long.csv:3: sequence of 65 nt is longer than the model's maximum length 64"))

        let regions = try TestFiles.write("chrom,start,end,label\nchr1,0,8,a\nchrX,2,10,b\n", "regions.csv", in: dir)
        XCTAssertTrue(failure(common(regions)).contains("regions.csv:2: the table gives regions; pass --fasta"))
        let fasta = try TestFiles.write(">chr1\nACGTACGTACGTACGT\n", "genome.fa", in: dir)
        XCTAssertTrue(failure(common(regions) + ["--fasta", fasta]).contains("regions.csv:3: unknown record 'chrX'"))
        let past = try TestFiles.write("chrom,start,end,label\nchr1,0,8,a\nchr1,2,30,b\n", "past.csv", in: dir)
        XCTAssertTrue(failure(common(past) + ["--fasta", fasta]).contains("past.csv:3: region chr1:2-30 ends beyond the record (length 16)"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "a failed run leaves no output folder")

        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try TestFiles.write("x", "keep.txt", in: out)
        XCTAssertTrue(failure(common(table)).contains("output folder is not empty"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out), ["keep.txt"])
    }
}
