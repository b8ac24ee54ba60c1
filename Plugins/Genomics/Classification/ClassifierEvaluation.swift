import Foundation
import SequoiaKit
import SequoiaNN
import SequoiaTensor

/// A classifier's predictions on held-out sequences, scored with a confusion matrix.
public struct ClassifierEvaluation {
    public let classNames: [String]
    public let confusion: ConfusionMatrix

    /// Runs `classifier` in eval mode without gradients over `sequences` in batches of `batchSize`.
    public init(classifier: SequenceClassifier, sequences: [[Int32]], labels: [Int], classNames: [String], batchSize: Int) {
        self.classNames = classNames
        var confusion = ConfusionMatrix(classCount: classNames.count)
        classifier.inferring {
            for start in stride(from: 0, to: sequences.count, by: batchSize) {
                let range = start ..< min(start + batchSize, sequences.count)
                let batch = LabelledBatch(sequences: Array(sequences[range]), labels: Array(labels[range]))
                let logits = classifier(batch.ids, lengths: batch.lengths)
                let classes = logits.size(-1)
                for (row, truth) in labels[range].enumerated() {
                    let scores = logits.pointer + row * classes
                    let predicted = (0..<classes).max { scores[$0] < scores[$1] }!
                    confusion.add(truth: truth, predicted: predicted)
                }
            }
        }
        self.confusion = confusion
    }

    /// Per-class counts and F1, then accuracy and MCC, as aligned text.
    public var table: String {
        let width = max(5, classNames.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        var lines = [pad("class", width) + "      n  correct      F1"]
        let totals = confusion.truthTotals, f1 = confusion.f1PerClass
        for (c, name) in classNames.enumerated() {
            lines.append(pad(name, width) + pad("\(totals[c])", 7) + pad("\(confusion[c, c])", 9) + pad(String(format: "%.3f", f1[c]), 8))
        }
        lines.append(String(format: "accuracy %.4f  MCC %.4f  (%d held-out sequences)",
                            confusion.accuracy, confusion.matthewsCorrelation, confusion.total))
        return lines.joined(separator: "\n")
    }

    /// eval.json: accuracy, mcc, macro_f1, held_out count, classes and the confusion matrix (rows = truth),
    /// plus `extra` numbers (e.g. training seconds).
    public func json(extra: [String: Any] = [:]) throws -> Data {
        let k = confusion.classCount
        var object: [String: Any] = [
            "accuracy": confusion.accuracy, "mcc": confusion.matthewsCorrelation, "macro_f1": confusion.macroF1,
            "held_out": confusion.total, "classes": classNames,
            "confusion": (0..<k).map { t in (0..<k).map { confusion[t, $0] } },
        ]
        object.merge(extra) { own, _ in own }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
