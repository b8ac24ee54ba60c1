import Foundation
import SequoiaKit

/// The model input at each prediction time: the static facts and the events strictly before it,
/// encoded to the most recent `maxLength` tokens. Nothing at or after the prediction time is read.
public enum PredictionWindows {
    /// One token sequence per label, in label order; a label whose subject the cohort lacks is a
    /// `CommandError` naming `labelSource`.
    public static func encode(_ labels: ArraySlice<PredictionLabel>, cohort: Cohort, tokenizer: TimelineTokenizer,
                              maxLength: Int, labelSource: String) throws -> [[Int32]] {
        try labels.map { label in
            guard let timeline = cohort.timeline(for: label.subjectID) else {
                throw CommandError("\(labelSource): subject \(label.subjectID) has no events in \(cohort.source)")
            }
            return window(timeline, at: label.predictionTime, tokenizer: tokenizer, maxLength: maxLength)
        }
    }

    /// The tokens a prediction at `time` sees for one subject.
    public static func window(_ timeline: Timeline, at time: Int64, tokenizer: TimelineTokenizer, maxLength: Int) -> [Int32] {
        tokenizer.encode(timeline.events(before: time), maxLength: maxLength)
    }
}

/// Labels as binary outcomes for a task head.
public enum BinaryOutcomes {
    /// 1 for a true (non-zero) value, 0 for false; any other value is a `CommandError` naming the label.
    public static func of(_ labels: [PredictionLabel], source: String) throws -> [Int] {
        try labels.map { label in
            guard label.value == 0 || label.value == 1 else {
                throw CommandError("\(source): subject \(label.subjectID) at prediction time \(MEDSTime.format(label.predictionTime)) "
                    + "has value \(label.value); a binary task needs boolean labels (0/1)")
            }
            return Int(label.value)
        }
    }
}
