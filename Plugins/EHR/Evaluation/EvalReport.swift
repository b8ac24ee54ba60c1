import Foundation
import SequoiaKit

/// What `ehr eval` measured: the model's metrics with bootstrap intervals and, with the events at hand,
/// the count baseline on the same rows and both stratified by the Context Clues properties.
public struct EvalReport: Codable, Sendable {
    /// How many rows were evaluated and what did not match.
    public struct Rows: Codable, Sendable {
        public var evaluated: Int
        public var positives: Int
        public var labelsWithoutScore: Int
        public var scoresWithoutLabel: Int
        /// Scores of subjects in other splits than the evaluated one (not counted as unmatched).
        public var scoresOutsideSplit: Int
    }

    /// The baseline's fit and its metrics on the evaluated rows.
    public struct Baseline: Codable, Sendable {
        public var description: String
        public var trainRows: Int
        public var trainPositives: Int
        public var codes: Int
        /// L2 strength chosen by cross-validation on the training rows.
        public var l2: Double
        public var metrics: BootstrappedMetrics
    }

    public var scores: String
    public var labels: String
    public var events: String?
    /// `train`, `tuning`, `held_out`, or `all`.
    public var split: String
    public var replicates: Int
    public var confidence: Double
    public var seed: UInt64
    public var rows: Rows
    public var model: BootstrappedMetrics
    public var baseline: Baseline?
    public var strata: [Stratification]

    /// Reads the scores and labels (and the events when given), joins them and evaluates. With events, only
    /// labels of subjects in `split` (nil: all) are evaluated and the baseline is fitted on the train split's
    /// labels; without events there is no split, baseline or stratification.
    public static func evaluate(scores scoresPath: String, labels labelsPath: String, events eventsPath: String?,
                                split: SubjectSplit?, replicates: Int = 1000, seed: UInt64 = 0,
                                progress: Bool = false) throws -> EvalReport {
        let scores = try ScoresTable.read(scoresPath)
        var labels = try MEDSLabels.read(labelsPath)
        var inSplit = scores
        var cohort: Cohort?
        if let eventsPath {
            let read = try MEDSReader.read(eventsPath, progress: progress)
            try MEDSLabels.check(labels, against: read, labelSource: labelsPath)
            cohort = read
            if let split {
                inSplit = scores.filter { read.split(of: $0.subjectID) == split }
            }
        }
        let allLabels = labels
        if let cohort, let split { labels = labels.filter { cohort.split(of: $0.subjectID) == split } }
        let joined = try ScoredLabels.join(scores: inSplit, labels: labels, scoresSource: scoresPath, labelsSource: labelsPath)
        var report = EvalReport(
            scores: scoresPath, labels: labelsPath, events: eventsPath, split: cohort == nil ? "all" : split?.rawValue ?? "all",
            replicates: replicates, confidence: 0.95, seed: seed,
            rows: Rows(evaluated: joined.labels.count, positives: joined.outcomes.filter { $0 }.count,
                       labelsWithoutScore: joined.labelsWithoutScore, scoresWithoutLabel: joined.scoresWithoutLabel,
                       scoresOutsideSplit: scores.count - inSplit.count),
            model: .evaluate(labels: joined.outcomes, probabilities: joined.probabilities, replicates: replicates, seed: seed),
            baseline: nil, strata: [])
        guard let cohort else { return report }

        let histories = joined.labels.map { cohort.timeline(for: $0.subjectID)!.events(before: $0.predictionTime) }
        let trainLabels = allLabels.filter { cohort.split(of: $0.subjectID) == .train }
        let baseline = try CountBaseline.fit(
            histories: trainLabels.map { cohort.timeline(for: $0.subjectID)!.events(before: $0.predictionTime) },
            predictionTimes: trainLabels.map(\.predictionTime),
            outcomes: try trainLabels.map { try ScoredLabels.outcome(of: $0, source: labelsPath) }, seed: seed)
        let baselineProbabilities = try baseline.probabilities(histories: histories, predictionTimes: joined.labels.map(\.predictionTime))
        report.baseline = Baseline(
            description: "L2 logistic regression on log(1 + count) of codes before the prediction time, age and sex",
            trainRows: baseline.trainRows, trainPositives: baseline.trainPositives,
            codes: baseline.features.vocabulary.count, l2: baseline.model.l2,
            metrics: .evaluate(labels: joined.outcomes, probabilities: baselineProbabilities, replicates: replicates, seed: seed))
        let complexity = histories.map(TimelineComplexity.init(events:))
        report.strata = Stratifier.allCases.map { stratifier in
            Stratification.compute(stratifier, values: complexity.map { $0.value(of: stratifier) }, labels: joined.outcomes,
                                   model: joined.probabilities, baseline: baselineProbabilities,
                                   replicates: replicates, seed: seed)
        }
        return report
    }

    /// The report as pretty-printed JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
