/// Metrics of probabilistic binary predictions (label true = positive), defined as sklearn defines them.
public enum BinaryClassificationMetrics {
    /// Area under the ROC curve, ties counted half (sklearn's `roc_auc_score`); nil without both classes.
    public static func auroc(labels: [Bool], scores: [Double]) -> Double? {
        let (positives, negatives) = classTotals(labels, scores)
        guard positives > 0, negatives > 0 else { return nil }
        var area = 0.0, truePositives = 0.0
        forEachTieGroup(labels, scores) { groupPositives, groupNegatives in
            // Each negative in the group outranks the positives above it and ties half of those beside it.
            area += groupNegatives * (truePositives + groupPositives / 2)
            truePositives += groupPositives
        }
        return area / (Double(positives) * Double(negatives))
    }

    /// Average precision, the step-wise area under precision-recall with one threshold per distinct score
    /// (sklearn's `average_precision_score`); nil when there is no positive.
    public static func averagePrecision(labels: [Bool], scores: [Double]) -> Double? {
        let (positives, _) = classTotals(labels, scores)
        guard positives > 0 else { return nil }
        var sum = 0.0, truePositives = 0.0, falsePositives = 0.0
        forEachTieGroup(labels, scores) { groupPositives, groupNegatives in
            truePositives += groupPositives
            falsePositives += groupNegatives
            sum += groupPositives * truePositives / (truePositives + falsePositives)
        }
        return sum / Double(positives)
    }

    /// Mean squared difference between probability and outcome (sklearn's `brier_score_loss`); nil when empty.
    public static func brierScore(labels: [Bool], probabilities: [Double]) -> Double? {
        precondition(labels.count == probabilities.count, "labels and probabilities differ in length")
        guard !labels.isEmpty else { return nil }
        let sum = zip(labels, probabilities).reduce(0.0) { total, pair in
            let difference = pair.1 - (pair.0 ? 1 : 0)
            return total + difference * difference
        }
        return sum / Double(labels.count)
    }

    private static func classTotals(_ labels: [Bool], _ scores: [Double]) -> (positives: Int, negatives: Int) {
        precondition(labels.count == scores.count, "labels and scores differ in length")
        precondition(scores.allSatisfy { $0.isFinite }, "scores must be finite")
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        return (positives, labels.count - positives)
    }

    /// Visits the examples from the highest score down, one call per run of equal scores with its class counts.
    private static func forEachTieGroup(_ labels: [Bool], _ scores: [Double], _ body: (Double, Double) -> Void) {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var start = 0
        while start < order.count {
            var end = start, groupPositives = 0.0, groupNegatives = 0.0
            while end < order.count && scores[order[end]] == scores[order[start]] {
                if labels[order[end]] { groupPositives += 1 } else { groupNegatives += 1 }
                end += 1
            }
            body(groupPositives, groupNegatives)
            start = end
        }
    }
}
