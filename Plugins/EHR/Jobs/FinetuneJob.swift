import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia ehr finetune`: a binary task head on the representation at each prediction time (the
/// last hidden state after the static facts and the events strictly before it). `probe` fits an L2
/// logistic regression on frozen representations of train-split labels (strength by cross-validation);
/// `full` trains backbone and head together, keeping the epoch with the best tuning AUROC.
enum FinetuneOptions {
    static let model = Option("model", "DIR", help: "model folder from `ehr train`").required
    static let events = Option("events", "PATH", help: "MEDS events: a MEDS folder, a .parquet file, or .csv / .csv.gz").required
    static let labels = Option("labels", "PATH", help: "MEDS labels (subject_id, prediction_time, boolean_value): .parquet or .csv").required
    static let out = Option("out", "DIR", help: "output model folder for `ehr score` (backbone, tokenizer.json, ehr.json, head.json)").required
    static let head = Option("head", "KIND", help: "probe (logistic regression on frozen representations) or full (fine-tune everything)",
                             expected: "probe or full") { TaskHead.Kind(rawValue: $0) }.defaulting(to: .probe)
    static let batch = Option.int("batch", "N", help: "timelines per batch", atLeast: 1).defaulting(to: 16)
    static let epochs = Option.int("epochs", "E", help: "full: passes over the train-split labels", atLeast: 1).defaulting(to: 3)
    static let lr = Option.number("lr", "LR", help: "full: peak learning rate", above: 0).defaulting(to: 1e-4)
    static let folds = Option.int("folds", "K", help: "probe: cross-validation folds choosing the L2 strength", atLeast: 2).defaulting(to: 5)
    static let seed = Option.seed(help: "seed of the head, the shuffles and the folds").defaulting(to: 0)
}

public let ehrFinetuneJob = Job(
    name: "finetune",
    summary: "fit a task head (linear probe or full fine-tuning) on a pretrained timeline model; reports tuning AUROC",
    options: [FinetuneOptions.model, FinetuneOptions.events, FinetuneOptions.labels, FinetuneOptions.out, FinetuneOptions.head,
              FinetuneOptions.batch, FinetuneOptions.epochs, FinetuneOptions.lr, FinetuneOptions.folds, FinetuneOptions.seed]
        + TrainingRunOptions.withoutSteps
) { options in
    let kind = try options[FinetuneOptions.head]
    let batch = try options[FinetuneOptions.batch], epochs = try options[FinetuneOptions.epochs]
    let folds = try options[FinetuneOptions.folds], seed = try options[FinetuneOptions.seed], lr = try options[FinetuneOptions.lr]
    let out = URL(fileURLWithPath: try options[FinetuneOptions.out])
    let resuming = options[TrainingRunOptions.resume] && kind == .full
    if !resuming, let existing = try? FileManager.default.contentsOfDirectory(atPath: out.path), !existing.isEmpty {
        throw CommandError("\(out.path): output folder is not empty; choose another --out"
            + (kind == .full ? " or pass --resume" : ""))
    }
    let folder = try TimelineModelFolder(URL(fileURLWithPath: try options[FinetuneOptions.model]))
    let cohort = try MEDSReader.read(try options[FinetuneOptions.events], progress: true)
    let labelPath = try options[FinetuneOptions.labels]
    let labels = try MEDSLabels.read(labelPath)
    try MEDSLabels.check(labels, against: cohort, labelSource: labelPath)

    let trainLabels = labels.filter { cohort.split(of: $0.subjectID) == .train }
    let tuningLabels = labels.filter { cohort.split(of: $0.subjectID) == .tuning }
    let trainOutcomes = try BinaryOutcomes.of(trainLabels, source: labelPath)
    let tuningOutcomes = try BinaryOutcomes.of(tuningLabels, source: labelPath)
    guard Set(trainOutcomes).count == 2 else {
        throw CommandError("\(labelPath): the \(trainLabels.count) train-split labels need both outcomes to fit a head")
    }
    func windows(_ labels: [PredictionLabel]) throws -> [[Int32]] {
        try PredictionWindows.encode(labels[...], cohort: cohort, tokenizer: folder.tokenizer,
                                     maxLength: folder.settings.maxLength, labelSource: labelPath)
    }
    let trainWindows = try windows(trainLabels), tuningWindows = try windows(tuningLabels)
    print("fitting a \(kind.rawValue) head on \(trainLabels.count) train-split labels (\(trainOutcomes.reduce(0, +)) positive); "
        + "\(tuningLabels.count) tuning-split labels for selection")

    let started = DispatchTime.now().uptimeNanoseconds
    let head: TaskHead
    switch kind {
    case .probe:
        let progress = ProgressBar(total: trainWindows.count, label: "represent", unit: "label")
        var done = 0
        let (features, width) = TimelineRepresentations.compute(folder.model.backbone, sequences: trainWindows, batchSize: batch) {
            done += $0
            progress.update(step: done, units: Double($0))
        }
        head = TaskHead.fitProbe(features: features, width: width, outcomes: trainOutcomes, folds: folds, seed: seed)
        print(String(format: "probe: L2 strength %g chosen by %d-fold cross-validation", head.l2 ?? .nan, folds))
    case .full:
        var tuner = FullFinetune()
        tuner.epochs = epochs
        tuner.batchSize = batch
        tuner.learningRate = Float(lr)
        tuner.seed = seed
        let training = out.appendingPathComponent("training")
        let run = try tuner.run(model: folder.model, train: trainWindows, trainOutcomes: trainOutcomes, tuning: tuningWindows,
                                tuningOutcomes: tuningOutcomes, output: training) { try TrainingRunOptions.apply(options, to: $0) }
        guard let result = run.result else {
            print(TrainingRunOptions.describe(run.outcome, output: training))
            return
        }
        head = result.head
        print("full fine-tuning: kept epoch \(result.selection.epoch) of \(epochs)")
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

    let scorer = TimelineScorer(backbone: folder.model.backbone, head: head, batchSize: batch)
    let tuningAUROC = tuningWindows.isEmpty ? nil
        : BinaryClassificationMetrics.auroc(labels: tuningOutcomes.map { $0 == 1 }, scores: scorer.probabilities(tuningWindows))
    try TimelineModelFolder.write(to: out, model: folder.model, tokenizer: folder.tokenizer, settings: folder.settings)
    let report: [String: Any] = [
        "head": kind.rawValue, "train_labels": trainLabels.count, "tuning_labels": tuningLabels.count,
        "tuning_auroc": tuningAUROC ?? NSNull(), "seconds": seconds,
    ]
    try AtomicFile.write(try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys]),
                         to: out.appendingPathComponent("finetune.json"))
    // head.json last: a folder without it is incomplete, and `ehr score` says so.
    try TimelineModelFolder.writeJSON(head, to: out.appendingPathComponent(TimelineModelFolder.headFile))
    print(tuningAUROC.map { String(format: "tuning AUROC %.4f over %d labels", $0, tuningLabels.count) }
        ?? "tuning AUROC undefined (\(tuningLabels.count) tuning-split labels, not both outcomes)")
    print("task model in \(out.path)")
}
