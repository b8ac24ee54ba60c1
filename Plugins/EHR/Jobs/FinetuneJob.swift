import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia ehr finetune`: a binary task head on the representation at each prediction time (the
/// last hidden state after the static facts and the events strictly before it). `probe` fits an L2
/// logistic regression on frozen representations of train-split labels (strength by cross-validation);
/// `full` trains backbone and head together, keeping the epoch with the best tuning AUROC.
public let ehrFinetuneJob = Job(
    name: "finetune",
    summary: "fit a task head (linear probe or full fine-tuning) on a pretrained timeline model; reports tuning AUROC",
    options: [
        .value("model", "DIR", help: "model folder from `ehr train`", required: true),
        .value("events", "PATH", help: "MEDS events: a MEDS folder, a .parquet file, or .csv / .csv.gz", required: true),
        .value("labels", "PATH", help: "MEDS labels (subject_id, prediction_time, boolean_value): .parquet or .csv", required: true),
        .value("out", "DIR", help: "output model folder for `ehr score` (backbone, tokenizer.json, ehr.json, head.json)", required: true),
        .value("head", "KIND", help: "probe (logistic regression on frozen representations) or full (fine-tune everything)",
               default: "probe"),
        .value("batch", "N", help: "timelines per batch", default: "16"),
        .value("epochs", "E", help: "full: passes over the train-split labels", default: "3"),
        .value("lr", "LR", help: "full: peak learning rate", default: "1e-4"),
        .value("folds", "K", help: "probe: cross-validation folds choosing the L2 strength", default: "5"),
        .value("seed", "S", help: "seed of the head, the shuffles and the folds", default: "0"),
    ]
) { options in
    guard let kind = TaskHead.Kind(rawValue: options.string("head")!) else {
        throw UsageError("ehr finetune: --head must be probe or full, got '\(options.string("head")!)'")
    }
    let batch = try options.int("batch")!, epochs = try options.int("epochs")!, folds = try options.int("folds")!
    let seed = try options.int("seed")!, lr = try options.double("lr")!
    guard batch >= 1, epochs >= 1, folds >= 2, seed >= 0, lr > 0 else {
        throw UsageError("ehr finetune: needs --batch >= 1, --epochs >= 1, --folds >= 2, --seed >= 0 and --lr > 0")
    }
    let out = URL(fileURLWithPath: options.string("out")!)
    if let existing = try? FileManager.default.contentsOfDirectory(atPath: out.path), !existing.isEmpty {
        throw CommandError("\(out.path): output folder is not empty; choose another --out")
    }
    let folder = try TimelineModelFolder(URL(fileURLWithPath: options.string("model")!))
    let cohort = try MEDSReader.read(options.string("events")!, progress: true)
    let labelPath = options.string("labels")!
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
        let (features, width) = TimelineRepresentations.compute(folder.model, sequences: trainWindows, batchSize: batch) {
            done += $0
            progress.update(step: done, units: Double($0))
        }
        head = TaskHead.fitProbe(features: features, width: width, outcomes: trainOutcomes, folds: folds, seed: UInt64(seed))
        print(String(format: "probe: L2 strength %g chosen by %d-fold cross-validation", head.l2 ?? .nan, folds))
    case .full:
        var tuner = FullFinetune()
        tuner.epochs = epochs
        tuner.batchSize = batch
        tuner.learningRate = Float(lr)
        tuner.seed = UInt64(seed)
        let result = try tuner.run(model: folder.model, train: trainWindows, trainOutcomes: trainOutcomes, tuning: tuningWindows,
                                   tuningOutcomes: tuningOutcomes, output: out.appendingPathComponent("training"))
        head = result.head
        print("full fine-tuning: kept epoch \(result.epoch) of \(epochs)")
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

    let scorer = TimelineScorer(model: folder.model, head: head, batchSize: batch)
    let tuningAUROC = tuningWindows.isEmpty ? nil
        : BinaryClassificationMetrics.auroc(labels: tuningOutcomes.map { $0 == 1 }, scores: scorer.probabilities(tuningWindows))
    try TimelineModelFolder.write(to: out, model: folder.model, config: folder.config, tokenizer: folder.tokenizer,
                                  settings: folder.settings)
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
