import Foundation

extension LogisticRegression {
    /// What cross-validation ranks L2 strengths by.
    public enum SelectionCriterion: Sendable {
        /// Held-out accuracy, ties to the lower log-loss (for class labels).
        case accuracy
        /// Held-out log-loss (for risk scores, where calibrated probabilities matter and accuracy on a rare
        /// outcome rewards predicting the majority class).
        case logLoss
    }

    /// The default grid of L2 strengths searched by `crossValidated`.
    public static let defaultL2Grid: [Double] = [0.01, 0.1, 1, 10, 100, 1000]

    /// Picks the L2 strength with the best `criterion` over stratified `folds`-fold cross-validation (ties go
    /// to the stronger penalty), then fits on all rows with it.
    public static func crossValidated(features: [Float], rows: Int, columns: Int, labels: [Int],
                                      classCount: Int? = nil, grid: [Double] = defaultL2Grid,
                                      folds: Int = 5, seed: UInt64 = 0,
                                      criterion: SelectionCriterion = .accuracy) -> (model: LogisticRegression, cvAccuracy: [Double]) {
        precondition(!grid.isEmpty, "an empty L2 grid")
        let k = max(classCount ?? ((labels.max() ?? 0) + 1), 2)
        let foldCount = max(2, min(folds, rows))
        let fold = StratifiedSplit.folds(labels: labels, folds: foldCount, seed: seed)
        var scores: [Double] = [], logLosses: [Double] = []
        for l2 in grid {
            var correct = 0, counted = 0, logLoss = 0.0
            for f in 0..<foldCount {
                let trainRows = (0..<rows).filter { fold[$0] != f }, testRows = (0..<rows).filter { fold[$0] == f }
                guard !trainRows.isEmpty, !testRows.isEmpty else { continue }
                var model = LogisticRegression(l2: l2)
                model.fit(features: gather(features, trainRows, columns), rows: trainRows.count, columns: columns,
                          labels: trainRows.map { labels[$0] }, classCount: k)
                let p = model.predictProbabilities(features: gather(features, testRows, columns), rows: testRows.count)
                for (r, row) in testRows.enumerated() {
                    let truth = p[r * k + labels[row]]
                    var argmax = 0
                    for c in 1..<k where p[r * k + c] > p[r * k + argmax] { argmax = c }  // as `predict`
                    if argmax == labels[row] { correct += 1 }
                    logLoss -= Foundation.log(max(truth, 1e-300))
                }
                counted += testRows.count
            }
            scores.append(counted == 0 ? 0 : Double(correct) / Double(counted))
            logLosses.append(counted == 0 ? .infinity : logLoss / Double(counted))
        }
        var best = 0
        for i in grid.indices {
            let (primary, bestPrimary) = criterion == .accuracy ? (scores[i], scores[best]) : (-logLosses[i], -logLosses[best])
            let better = primary > bestPrimary
                || (primary == bestPrimary && logLosses[i] < logLosses[best])
                || (primary == bestPrimary && logLosses[i] == logLosses[best] && grid[i] > grid[best])
            if better { best = i }
        }
        var model = LogisticRegression(l2: grid[best])
        model.fit(features: features, rows: rows, columns: columns, labels: labels, classCount: k)
        return (model, scores)
    }

    /// Rows `indices` of a row-major [_, columns] matrix.
    public static func gather(_ features: [Float], _ indices: [Int], _ columns: Int) -> [Float] {
        var out = [Float](); out.reserveCapacity(indices.count * columns)
        for i in indices { out += features[i * columns..<(i + 1) * columns] }
        return out
    }
}
