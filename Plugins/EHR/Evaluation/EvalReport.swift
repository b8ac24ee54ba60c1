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
        /// The ten codes that move the baseline's risk most, with descriptions from metadata/codes.parquet.
        public var strongestCodes: [CodeWeight]
    }

    /// A code's baseline weight per standard deviation of its log count (positive raises the risk).
    public struct CodeWeight: Codable, Sendable {
        public var code: String
        public var weight: Double
        public var description: String?
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
        let labels = try MEDSLabels.read(labelsPath)
        let cohort = try eventsPath.map { try MEDSReader.read($0, progress: progress) }
        if let cohort { try MEDSLabels.check(labels, against: cohort, labelSource: labelsPath) }
        func inSplit(_ subjectID: Int64) -> Bool {
            guard let cohort, let split else { return true }
            return cohort.split(of: subjectID) == split
        }
        let splitScores = scores.filter { inSplit($0.subjectID) }
        let joined = try ScoredLabels.join(scores: splitScores, labels: labels.filter { inSplit($0.subjectID) },
                                           scoresSource: scoresPath, labelsSource: labelsPath)
        var report = EvalReport(
            scores: scoresPath, labels: labelsPath, events: eventsPath, split: cohort == nil ? "all" : split?.rawValue ?? "all",
            replicates: replicates, confidence: 0.95, seed: seed,
            rows: Rows(evaluated: joined.labels.count, positives: joined.outcomes.filter { $0 }.count,
                       labelsWithoutScore: joined.labelsWithoutScore, scoresWithoutLabel: joined.scoresWithoutLabel,
                       scoresOutsideSplit: scores.count - splitScores.count),
            model: .evaluate(labels: joined.outcomes, probabilities: joined.probabilities, replicates: replicates, seed: seed),
            baseline: nil, strata: [])
        if let cohort { try report.addBaselineAndStrata(cohort, labels, joined, labelsPath) }
        return report
    }

    /// Fits the baseline on the train split's labels, scores the evaluated rows with it, and stratifies both.
    private mutating func addBaselineAndStrata(_ cohort: Cohort, _ labels: [PredictionLabel], _ joined: ScoredLabels,
                                               _ labelsPath: String) throws {
        func history(_ label: PredictionLabel) -> ArraySlice<MEDSEvent> {
            cohort.timeline(for: label.subjectID)!.events(before: label.predictionTime)  // MEDSLabels.check vouches for the subject
        }
        let trainLabels = labels.filter { cohort.split(of: $0.subjectID) == .train }
        let trainOutcomes = try trainLabels.map { try ScoredLabels.outcome(of: $0, source: labelsPath) }
        let trainPositives = trainOutcomes.filter { $0 }.count
        guard trainPositives > 0, trainPositives < trainOutcomes.count else {
            throw CommandError("\(labelsPath): the train split holds \(trainOutcomes.count) label(s), \(trainPositives) positive; "
                + "the baseline needs both outcomes there (without --events eval reports the model alone)")
        }
        let fitted = try CountBaseline.fit(histories: trainLabels.map(history), predictionTimes: trainLabels.map(\.predictionTime),
                                           outcomes: trainOutcomes, seed: seed)
        let histories = joined.labels.map(history)
        let probabilities = try fitted.probabilities(histories: histories, predictionTimes: joined.labels.map(\.predictionTime))
        baseline = Baseline(
            description: "L2 logistic regression on log(1 + count) of codes before the prediction time, age and sex",
            trainRows: fitted.trainRows, trainPositives: fitted.trainPositives, codes: fitted.features.vocabulary.count,
            l2: fitted.model.l2,
            metrics: .evaluate(labels: joined.outcomes, probabilities: probabilities, replicates: replicates, seed: seed),
            strongestCodes: fitted.strongestCodes(10).map {
                CodeWeight(code: $0.code, weight: $0.weight, description: cohort.codeDescriptions[$0.code])
            })
        let complexity = histories.map(TimelineComplexity.init(events:))
        strata = Stratifier.allCases.map { stratifier in
            Stratification.compute(stratifier, values: complexity.map { $0.value(of: stratifier) }, labels: joined.outcomes,
                                   model: joined.probabilities, baseline: probabilities, replicates: replicates, seed: seed)
        }
    }

    /// The report as pretty-printed JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
