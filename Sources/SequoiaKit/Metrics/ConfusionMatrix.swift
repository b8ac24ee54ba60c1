/// Counts of (true class, predicted class) pairs, with the classification metrics read from them.
public struct ConfusionMatrix: Equatable, Sendable {
    /// Number of classes; class indices run over 0..<classCount.
    public let classCount: Int
    /// Row-major counts: `counts[truth * classCount + predicted]`.
    public private(set) var counts: [Int]

    /// An empty matrix for `classCount` classes.
    public init(classCount: Int) {
        precondition(classCount > 0, "ConfusionMatrix needs at least one class")
        self.classCount = classCount
        counts = [Int](repeating: 0, count: classCount * classCount)
    }

    /// The matrix of paired true and predicted class indices (each in 0..<classCount).
    public init(truth: [Int], predicted: [Int], classCount: Int) {
        precondition(truth.count == predicted.count, "truth and predicted differ in length")
        self.init(classCount: classCount)
        for (t, p) in zip(truth, predicted) { add(truth: t, predicted: p) }
    }

    /// Counts one example.
    public mutating func add(truth: Int, predicted: Int) {
        precondition((0..<classCount).contains(truth) && (0..<classCount).contains(predicted),
                     "class index out of range 0..<\(classCount)")
        counts[truth * classCount + predicted] += 1
    }

    /// The count of examples of class `truth` predicted as `predicted`.
    public subscript(truth: Int, predicted: Int) -> Int { counts[truth * classCount + predicted] }

    /// Number of examples counted.
    public var total: Int { counts.reduce(0, +) }

    /// Examples per true class (row sums).
    public var truthTotals: [Int] { (0..<classCount).map { t in (0..<classCount).reduce(0) { $0 + self[t, $1] } } }

    /// Examples per predicted class (column sums).
    public var predictedTotals: [Int] { (0..<classCount).map { p in (0..<classCount).reduce(0) { $0 + self[$1, p] } } }

    /// Correct predictions (the trace).
    public var correct: Int { (0..<classCount).reduce(0) { $0 + self[$1, $1] } }

    /// Share of correct predictions; 0 for an empty matrix.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Matthews correlation coefficient; for K > 2 classes Gorodkin's R_K, as sklearn's `matthews_corrcoef`
    /// (0 when every truth or every prediction falls in one class, where the coefficient is undefined).
    public var matthewsCorrelation: Double {
        let n = Double(total)
        let t = truthTotals.map(Double.init), p = predictedTotals.map(Double.init)
        let tp = zip(t, p).reduce(0.0) { $0 + $1.0 * $1.1 }
        let covTP = Double(correct) * n - tp
        let covPP = n * n - p.reduce(0.0) { $0 + $1 * $1 }
        let covTT = n * n - t.reduce(0.0) { $0 + $1 * $1 }
        guard covPP * covTT != 0 else { return 0 }
        return covTP / (covTT.squareRoot() * covPP.squareRoot())
    }

    /// F1 of each class, 2TP / (2TP + FP + FN); 0 where that is 0/0 (sklearn's zero_division default).
    public var f1PerClass: [Double] {
        let t = truthTotals, p = predictedTotals
        return (0..<classCount).map { c in
            let denominator = t[c] + p[c]
            return denominator == 0 ? 0 : 2 * Double(self[c, c]) / Double(denominator)
        }
    }

    /// Unweighted mean F1 over the classes that occur in the truth or the predictions (sklearn's
    /// `f1_score(average="macro")`, whose default labels are exactly those); 0 for an empty matrix.
    public var macroF1: Double {
        let t = truthTotals, p = predictedTotals, f1 = f1PerClass
        let present = (0..<classCount).filter { t[$0] + p[$0] > 0 }
        guard !present.isEmpty else { return 0 }
        return present.reduce(0.0) { $0 + f1[$1] } / Double(present.count)
    }
}
