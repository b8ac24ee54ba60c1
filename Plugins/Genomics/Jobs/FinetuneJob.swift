import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia genomics finetune`: sequence classification with a pooled head on a pretrained or fresh backbone.
enum FinetuneOptions {
    static let data = Option("data", "CSV", help: "table of (sequence or chrom/start/end, label) rows").required
    static let model = Option("model", "DIR", help: "pretrained model folder (config.json + model.safetensors, HF layout) to fine-tune")
    static let config = Option("config", "JSON", help: "model config (HF field names) for a fresh model, or {\"model\": {...}, \"training\": {...}}")
    static let out = Option("out", "DIR", help: "output folder: config.json, model.safetensors, labels.json, eval.json, checkpoints").required
    static let epochs = Option.int("epochs", "E", help: "passes over the training rows (default 10)", atLeast: 1)
    static let batch = Option.int("batch", "B", help: "sequences per batch (default 32)", atLeast: 1)
    static let lr = Option.number("lr", "LR", help: "peak learning rate (default 1e-3)", above: 0)
    static let heldOut = Option.number("held-out", "FRACTION", help: "share of each class held out for evaluation (default 0.2)")
        .checked("in (0, 1)") { $0 > 0 && $0 < 1 }
    static let seed = Option.seed(help: "seed of the head, the split and the shuffles (default 0)")
    static let sequenceColumn = Option("sequence-column", "NAME", help: "column holding sequences").defaulting(to: "sequence")
    static let labelColumn = Option("label-column", "NAME", help: "column holding labels").defaulting(to: "label")
    static let fasta = Option("fasta", "FASTA", help: "genome to read the rows' regions from, when the table has chrom/start/end")
}

public let finetuneJob = Job(
    name: "finetune",
    summary: "fine-tune a sequence classifier (mean-pooled last hidden state -> linear head) on a labelled CSV/TSV; "
        + "reports held-out accuracy and MCC",
    options: [FinetuneOptions.data, FinetuneOptions.model, FinetuneOptions.config, FinetuneOptions.out, FinetuneOptions.epochs,
              FinetuneOptions.batch, FinetuneOptions.lr, FinetuneOptions.heldOut, FinetuneOptions.seed,
              FinetuneOptions.sequenceColumn, FinetuneOptions.labelColumn, FinetuneOptions.fasta] + TrainingRunOptions.withoutSteps,
    run: { options in try FinetuneRun(options).run() }
)

/// The fine-tuning keys a config file's "training" section may hold beside `TrainingConfig`'s.
private struct FinetuneSettings: Decodable {
    var epochs: Int?
    var batch: Int?
    var heldOut: Double?
    var learningRate: Float?

    enum CodingKeys: String, CodingKey { case epochs, batch, heldOut = "held_out", learningRate = "learning_rate" }
}

/// One fine-tuning run: settings from the options, then the config file's training section, then defaults.
private struct FinetuneRun {
    let options: ParsedOptions
    let out: URL
    /// The pretrained model (--model), or the config to build a fresh one from (--config).
    let pretrained: URL?
    let modelConfig: (any ModelConfig)?
    let training: TrainingConfig
    let epochs: Int
    let batchSize: Int
    let heldOut: Double

    init(_ options: ParsedOptions) throws {
        self.options = options
        out = URL(fileURLWithPath: try options[FinetuneOptions.out])
        var settings = FinetuneSettings()
        var config = TrainingConfig()
        switch (try options[FinetuneOptions.model], try options[FinetuneOptions.config]) {
        case let (dir?, nil):
            pretrained = URL(fileURLWithPath: dir)
            modelConfig = nil
        case let (nil, path?):
            pretrained = nil
            let file = try JobConfigFile(contentsOf: URL(fileURLWithPath: path))
            if file.contains("model") {
                modelConfig = try file.model()
                config = try file.training()
                settings = try file.section("training", default: settings)
            } else {
                do { modelConfig = try ModelRegistry.shared.config(from: file.data) } catch { throw file.error("\(error)") }
            }
        default:
            throw UsageError("genomics finetune: give exactly one of --model DIR and --config JSON")
        }
        epochs = try options[FinetuneOptions.epochs] ?? settings.epochs ?? 10
        batchSize = try options[FinetuneOptions.batch] ?? settings.batch ?? 32
        heldOut = try options[FinetuneOptions.heldOut] ?? settings.heldOut ?? 0.2
        guard epochs >= 1, batchSize >= 1, heldOut > 0 && heldOut < 1 else {
            throw UsageError("genomics finetune: training needs epochs >= 1, batch >= 1 and held_out in (0, 1)")
        }
        config.learningRate = try options[FinetuneOptions.lr].map(Float.init) ?? settings.learningRate ?? 1e-3
        if let seed = try options[FinetuneOptions.seed] { config.seed = seed }
        training = config
    }

    func run() throws {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []
        if !options[TrainingRunOptions.resume] && !existing.isEmpty {
            throw CommandError("\(out.path): output folder is not empty; choose another --out or pass --resume")
        }
        let table = try LabelledSequenceTable(path: try options[FinetuneOptions.data], sequenceColumn: try options[FinetuneOptions.sequenceColumn],
                                              labelColumn: try options[FinetuneOptions.labelColumn])
        guard table.classNames.count >= 2 else {
            throw CommandError("\(table.path): only one label ('\(table.classNames[0])'); classification needs at least two")
        }
        let sequences = try table.tokenizedSequences(fasta: try options[FinetuneOptions.fasta])
        let model = try loadModel()
        if let longest = sequences.indices.max(by: { sequences[$0].count < sequences[$1].count }) {
            try model.backbone.checkLength(sequences[longest].count,
                                           "\(table.path):\(table.examples[longest].line): sequence of \(sequences[longest].count) nt")
        }
        var rng = RandomGenerator(seed: training.seed)
        let classifier = SequenceClassifier(model: model, classCount: table.classNames.count, rng: &rng)

        let split = table.split(heldOutFraction: heldOut, seed: training.seed)
        let labels = table.labels
        let data = LabelledBatch.epochs(sequences: split.train.map { sequences[$0] }, labels: split.train.map { labels[$0] },
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
        trainer.writeModel = { folder in
            try ModelDirectory.write(model, weights: classifier, to: folder)
            try AtomicFile.write(labelsJSON, to: folder.appendingPathComponent("labels.json"))
        }
        trainer.evaluate = { _ in
            let result = evaluate()
            return ["held_out_accuracy": result.confusion.accuracy, "held_out_mcc": result.confusion.matthewsCorrelation]
        }
        try TrainingRunOptions.apply(options, to: trainer)
        let started = Date()
        let outcome = try trainer.run()
        guard case .completed = outcome else {
            print(TrainingRunOptions.describe(outcome, output: out))
            return
        }

        let result = evaluate()
        print("fine-tuned \(config.steps) steps (\(epochs) epochs of \(data.batchesPerEpoch) batches of \(batchSize)) "
            + "on \(split.train.count) sequences in \(formatDuration(Date().timeIntervalSince(started)))")
        print(result.table)
        try AtomicFile.write(try result.json(extra: ["train": split.train.count, "steps": config.steps, "epochs": epochs]),
                             to: out.appendingPathComponent("eval.json"))
    }

    /// The pretrained model of --model, or a fresh one built from the config with the run's seed.
    private func loadModel() throws -> any LanguageModel {
        if let pretrained {
            do { return try ModelDirectory.load(pretrained, ignoring: ["classifier."]) } catch { throw CommandError("\(error)") }
        }
        do {
            return try ModelRegistry.shared.build(modelConfig!, seed: training.seed)
        } catch {
            throw CommandError("\(try options[FinetuneOptions.config]!): \(error)")
        }
    }
}
