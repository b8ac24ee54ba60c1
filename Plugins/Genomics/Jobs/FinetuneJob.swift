import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia genomics finetune`: sequence classification with a pooled head on a pretrained or fresh backbone.
public let finetuneJob = Job(
    name: "finetune",
    summary: "fine-tune a sequence classifier (mean-pooled last hidden state -> linear head) on a labelled CSV/TSV; "
        + "reports held-out accuracy and MCC",
    options: [
        .value("data", "CSV", help: "table of (sequence or chrom/start/end, label) rows", required: true),
        .value("model", "DIR", help: "pretrained model folder (config.json + model.safetensors, HF layout) to fine-tune"),
        .value("config", "JSON", help: "model config (HF field names) for a fresh model, or {\"model\": {...}, \"training\": {...}}"),
        .value("out", "DIR", help: "output folder: config.json, model.safetensors, labels.json, eval.json, checkpoints", required: true),
        .value("epochs", "E", help: "passes over the training rows (default 10)"),
        .value("batch", "B", help: "sequences per batch (default 32)"),
        .value("lr", "LR", help: "peak learning rate (default 1e-3)"),
        .value("held-out", "FRACTION", help: "share of each class held out for evaluation (default 0.2)"),
        .value("seed", "S", help: "seed of the head, the split and the shuffles (default 0)"),
        .value("sequence-column", "NAME", help: "column holding sequences", default: "sequence"),
        .value("label-column", "NAME", help: "column holding labels", default: "label"),
        .value("fasta", "FASTA", help: "genome to read the rows' regions from, when the table has chrom/start/end"),
        .flag("resume", help: "continue the run in --out from its latest checkpoint"),
    ],
    run: { options in try FinetuneRun(options).run() }
)

/// One fine-tuning run: settings from the options, then the config file's training section, then defaults.
private struct FinetuneRun {
    let options: ParsedOptions
    let out: URL
    let modelConfig: Data
    let training: TrainingConfig
    let epochs: Int
    let batchSize: Int
    let heldOut: Double

    init(_ options: ParsedOptions) throws {
        self.options = options
        out = URL(fileURLWithPath: options.string("out")!)
        var section: [String: Any] = [:]
        switch (options.string("model"), options.string("config")) {
        case let (dir?, nil):
            let url = URL(fileURLWithPath: dir).appendingPathComponent("config.json")
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw CommandError("\(url.path): cannot read the model config")
            }
            modelConfig = data
        case let (nil, path?):
            guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("\(path): cannot read") }
            guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                throw CommandError("\(path): not a JSON object")
            }
            if let model = object["model"] {
                guard let model = model as? [String: Any] else { throw CommandError("\(path): \"model\" must be an object") }
                guard object["training"] == nil || object["training"] is [String: Any] else {
                    throw CommandError("\(path): \"training\" must be an object")
                }
                modelConfig = try JSONSerialization.data(withJSONObject: model)
                section = object["training"] as? [String: Any] ?? [:]
            } else {
                modelConfig = data
            }
        default:
            throw UsageError("genomics finetune: give exactly one of --model DIR and --config JSON")
        }

        func setting<T>(_ key: String, _ parse: (ParsedOptions) throws -> T?, default value: T) throws -> T {
            if let given = try parse(options) { return given }
            guard let stored = section[key] else { return value }
            guard let typed = stored as? T else {
                throw CommandError("\(options.string("config")!): training.\(key) has the wrong type")
            }
            return typed
        }
        epochs = try setting("epochs", { try $0.int("epochs") }, default: 10)
        batchSize = try setting("batch", { try $0.int("batch") }, default: 32)
        heldOut = try setting("held_out", { try $0.double("held-out") }, default: 0.2)
        guard epochs >= 1 else { throw UsageError("genomics finetune: --epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw UsageError("genomics finetune: --batch must be at least 1, got \(batchSize)") }
        guard heldOut > 0 && heldOut < 1 else { throw UsageError("genomics finetune: --held-out must be in (0, 1), got \(heldOut)") }

        var config: TrainingConfig
        do {
            config = try JSONDecoder().decode(TrainingConfig.self, from: JSONSerialization.data(withJSONObject: section))
        } catch {
            throw CommandError("\(options.string("config") ?? ""): training section: \(error)")
        }
        if let lr = try options.double("lr") {
            config.learningRate = Float(lr)
        } else if section["learning_rate"] == nil {
            config.learningRate = 1e-3
        }
        if let seed = try options.int("seed") {
            guard seed >= 0 else { throw UsageError("genomics finetune: --seed must be >= 0, got \(seed)") }
            config.seed = UInt64(seed)
        }
        training = config
    }

    func run() throws {
        let resume = options.flag("resume")
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        if !resume && !existing.isEmpty {
            throw CommandError("\(out.path): output folder is not empty; choose another --out or pass --resume")
        }
        let table = try LabelledSequenceTable(path: options.string("data")!, sequenceColumn: options.string("sequence-column")!,
                                              labelColumn: options.string("label-column")!)
        guard table.classNames.count >= 2 else {
            throw CommandError("\(table.path): only one label ('\(table.classNames[0])'); classification needs at least two")
        }
        let sequences = try table.tokenizedSequences(fasta: options.string("fasta"))
        let model = try loadModel()
        if let limit = maximumLength(of: model), let longest = sequences.indices.max(by: { sequences[$0].count < sequences[$1].count }),
           sequences[longest].count > limit {
            throw CommandError("\(table.path):\(table.examples[longest].line): sequence of \(sequences[longest].count) nt "
                + "is longer than the model's maximum length \(limit) (max_seq_len)")
        }
        var rng = RandomGenerator(seed: training.seed)
        let classifier = SequenceClassifier(model: model, classCount: table.classNames.count, rng: &rng)

        let split = table.split(heldOutFraction: heldOut, seed: training.seed)
        let labels = table.labels
        let data = ShuffledBatches(sequences: split.train.map { sequences[$0] }, labels: split.train.map { labels[$0] },
                                   batchSize: batchSize, seed: training.seed)
        var config = training
        config.steps = epochs * data.batchesPerEpoch
        let heldOutSequences = split.heldOut.map { sequences[$0] }, heldOutLabels = split.heldOut.map { labels[$0] }
        func evaluate() -> ClassifierEvaluation {
            ClassifierEvaluation(classifier: classifier, sequences: heldOutSequences, labels: heldOutLabels,
                                 classNames: table.classNames, batchSize: batchSize)
        }

        let trainer = try Trainer(config: config, model: classifier, data: data, output: out) { batch, _ in
            crossEntropy(logits: classifier(batch.ids, lengths: batch.lengths), targets: batch.labels)
        }
        trainer.countTokens = { $0.tokenCount }
        let labelsJSON = try JSONSerialization.data(withJSONObject: table.classNames, options: [.prettyPrinted])
        trainer.writeModel = { [modelConfig] folder in
            try classifier.save(safetensors: folder.appendingPathComponent("model.safetensors"))
            try AtomicFile.write(modelConfig, to: folder.appendingPathComponent("config.json"))
            try AtomicFile.write(labelsJSON, to: folder.appendingPathComponent("labels.json"))
        }
        trainer.evaluate = { _ in
            let result = evaluate()
            return ["held_out_accuracy": result.confusion.accuracy, "held_out_mcc": result.confusion.matthewsCorrelation]
        }
        if resume { try trainer.resume() }
        let started = Date()
        if case .interrupted = try trainer.run() { return }

        let result = evaluate()
        print("fine-tuned \(config.steps) steps (\(epochs) epochs of \(data.batchesPerEpoch) batches of \(batchSize)) "
            + "on \(split.train.count) sequences in \(formatDuration(Date().timeIntervalSince(started)))")
        print(result.table)
        try AtomicFile.write(try result.json(extra: ["train": split.train.count, "steps": config.steps, "epochs": epochs]),
                             to: out.appendingPathComponent("eval.json"))
    }

    /// The pretrained model of --model, or a fresh one built from the config with the run's seed.
    private func loadModel() throws -> any LanguageModel {
        if let dir = options.string("model") {
            do { return try ModelDirectory.load(URL(fileURLWithPath: dir), ignoring: ["classifier."]) } catch { throw CommandError("\(error)") }
        }
        do {
            return try ModelRegistry.shared.build(config: modelConfig, seed: training.seed)
        } catch {
            throw CommandError("\(options.string("config")!): \(error)")
        }
    }
}
