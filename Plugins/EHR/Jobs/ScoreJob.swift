import Foundation
import SequoiaKit
import SequoiaNN

/// `sequoia ehr score`: the probability of the outcome at every (subject_id, prediction_time) of a
/// label file, from a folder written by `ehr finetune`. Labels are taken in chunks (encoded, batched
/// by length, scored) so memory stays flat on large cohorts; scores.csv is written atomically.
enum ScoreOptions {
    static let model = Option("model", "DIR", help: "task model folder from `ehr finetune`").required
    static let events = Option("events", "PATH", help: "MEDS events: a MEDS folder, a .parquet file, or .csv / .csv.gz").required
    static let labels = Option("labels", "PATH", help: "MEDS labels: the prediction times to score (.parquet or .csv)").required
    static let out = Option("out", "CSV", help: "scores file: subject_id,prediction_time,probability").required
    static let batch = Option.int("batch", "N", help: "timelines per batch", atLeast: 1).defaulting(to: 32)
}

public let ehrScoreJob = Job(
    name: "score",
    summary: "score every (subject_id, prediction_time) of a label file with a fine-tuned timeline model",
    options: [ScoreOptions.model, ScoreOptions.events, ScoreOptions.labels, ScoreOptions.out, ScoreOptions.batch]
) { options in
    let batch = try options[ScoreOptions.batch]
    let folder = try TimelineModelFolder(URL(fileURLWithPath: try options[ScoreOptions.model]))
    let headURL = folder.url.appendingPathComponent(TimelineModelFolder.headFile)
    guard FileManager.default.fileExists(atPath: headURL.path) else {
        throw CommandError("\(headURL.path): no task head; fit one with `sequoia ehr finetune`")
    }
    let head = try TimelineModelFolder.readJSON(TaskHead.self, headURL)
    let width = folder.model.backbone.hiddenSize
    guard head.weights.count == width else {
        throw CommandError("\(headURL.path): \(head.weights.count) weights for a backbone of width \(width)")
    }
    let cohort = try MEDSReader.read(try options[ScoreOptions.events], progress: true)
    let labelPath = try options[ScoreOptions.labels]
    let labels = try MEDSLabels.read(labelPath)
    try MEDSLabels.check(labels, against: cohort, labelSource: labelPath)

    let scorer = TimelineScorer(backbone: folder.model.backbone, head: head, batchSize: batch)
    let progress = ProgressBar(total: labels.count, label: "score", unit: "label")
    var scores: [PredictionScore] = []
    scores.reserveCapacity(labels.count)
    let started = DispatchTime.now().uptimeNanoseconds
    let chunk = max(batch * 32, 1024)
    for start in stride(from: 0, to: labels.count, by: chunk) {
        let part = labels[start ..< min(start + chunk, labels.count)]
        let windows = try PredictionWindows.encode(part, cohort: cohort, tokenizer: folder.tokenizer,
                                                   maxLength: folder.settings.maxLength, labelSource: labelPath)
        var done = start
        let probabilities = scorer.probabilities(windows) {
            done += $0
            progress.update(step: done, units: Double($0))
        }
        for (label, probability) in zip(part, probabilities) {
            scores.append(PredictionScore(subjectID: label.subjectID, predictionTime: label.predictionTime, probability: probability))
        }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    let out = URL(fileURLWithPath: try options[ScoreOptions.out])
    try ScoresTable.write(scores, to: out)
    let subjects = Set(labels.map(\.subjectID)).count
    print(String(format: "scored %d prediction times of %d subjects in %.1f s (%.1f subjects/s); wrote %@",
                 labels.count, subjects, seconds, seconds > 0 ? Double(subjects) / seconds : 0, out.path))
}
