import SequoiaKit

/// Labels matched with scores by (subject_id, prediction_time), sorted by subject then time, with what
/// did not match on either side counted.
public struct ScoredLabels: Sendable {
    /// The matched labels.
    public let labels: [PredictionLabel]
    /// Each matched label's outcome (value 1 = true).
    public let outcomes: [Bool]
    /// Each matched label's probability.
    public let probabilities: [Double]
    public let labelsWithoutScore: Int
    public let scoresWithoutLabel: Int

    /// Joins `scores` to binary `labels`. Throws when a label value is not 0 or 1, a key occurs twice on one
    /// side, or nothing matches; `scoresSource` and `labelsSource` name the files in those errors.
    public static func join(scores: [PredictionScore], labels: [PredictionLabel],
                            scoresSource: String, labelsSource: String) throws -> ScoredLabels {
        var probabilityOf: [ScoreKey: Double] = [:]
        probabilityOf.reserveCapacity(scores.count)
        for score in scores {
            let key = ScoreKey(subjectID: score.subjectID, predictionTime: score.predictionTime)
            guard probabilityOf.updateValue(score.probability, forKey: key) == nil else {
                throw CommandError("\(scoresSource): subject \(score.subjectID) at \(MEDSTime.format(score.predictionTime)) is scored twice")
            }
        }
        var matched: [(label: PredictionLabel, probability: Double)] = []
        var seen = Set<ScoreKey>()
        for label in labels {
            let key = ScoreKey(subjectID: label.subjectID, predictionTime: label.predictionTime)
            _ = try outcome(of: label, source: labelsSource)
            guard seen.insert(key).inserted else {
                throw CommandError("\(labelsSource): subject \(label.subjectID) at \(MEDSTime.format(label.predictionTime)) is labelled twice")
            }
            if let p = probabilityOf[key] { matched.append((label, p)) }
        }
        guard !matched.isEmpty else {
            throw CommandError("\(scoresSource): none of its \(scores.count) score(s) matches one of the \(labels.count) label(s) "
                + "in \(labelsSource) by (subject_id, prediction_time)")
        }
        matched.sort { ($0.label.subjectID, $0.label.predictionTime) < ($1.label.subjectID, $1.label.predictionTime) }
        return ScoredLabels(labels: matched.map(\.label), outcomes: matched.map { $0.label.value == 1 },
                            probabilities: matched.map(\.probability),
                            labelsWithoutScore: labels.count - matched.count, scoresWithoutLabel: scores.count - matched.count)
    }

    /// A binary label's outcome; throws, naming `source`, the subject and the time, for any value but 0 or 1.
    public static func outcome(of label: PredictionLabel, source: String) throws -> Bool {
        guard label.value == 0 || label.value == 1 else {
            throw CommandError("\(source): subject \(label.subjectID) at \(MEDSTime.format(label.predictionTime)): "
                + "label value \(label.value) is not binary (eval needs 0/1 or false/true)")
        }
        return label.value == 1
    }
}
