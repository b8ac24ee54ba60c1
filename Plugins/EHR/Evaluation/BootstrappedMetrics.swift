import SequoiaKit

/// AUROC, AUPRC (average precision) and Brier score of one set of predictions, each with a seeded
/// percentile bootstrap confidence interval; an interval is nil where its metric is undefined
/// (AUROC without both classes, AUPRC without a positive, anything on no rows).
public struct BootstrappedMetrics: Codable, Equatable, Sendable {
    public let count: Int
    public let positives: Int
    public let auroc: BootstrapInterval?
    public let auprc: BootstrapInterval?
    public let brier: BootstrapInterval?

    /// The three metrics of `probabilities` against `labels`. Every metric (and every caller using the same
    /// `seed` on rows of the same count) sees the same resamples, so intervals of two models on the same rows
    /// are paired.
    public static func evaluate(labels: [Bool], probabilities: [Double], replicates: Int = 1000,
                                confidence: Double = 0.95, seed: UInt64) -> BootstrappedMetrics {
        precondition(labels.count == probabilities.count, "labels and probabilities differ in length")
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard !labels.isEmpty else {
            return BootstrappedMetrics(count: 0, positives: 0, auroc: nil, auprc: nil, brier: nil)
        }
        // Resamples are handed to the metrics already in descending score order (ranks of the drawn rows
        // counted, then read out in rank order), so their sort runs over sorted input in linear time.
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        var rank = [Int](repeating: 0, count: order.count)
        for (position, row) in order.enumerated() { rank[row] = position }
        let sortedLabels = order.map { labels[$0] }, sortedProbabilities = order.map { probabilities[$0] }
        var drawn = [Int](repeating: 0, count: order.count)
        func interval(_ metric: @escaping ([Bool], [Double]) -> Double?) -> BootstrapInterval? {
            Bootstrap.interval(sampleCount: labels.count, replicates: replicates, confidence: confidence, seed: seed) { rows in
                for i in drawn.indices { drawn[i] = 0 }
                for row in rows { drawn[rank[row]] += 1 }
                var resampledLabels: [Bool] = [], resampledProbabilities: [Double] = []
                resampledLabels.reserveCapacity(rows.count)
                resampledProbabilities.reserveCapacity(rows.count)
                for position in drawn.indices where drawn[position] > 0 {
                    for _ in 0..<drawn[position] {
                        resampledLabels.append(sortedLabels[position])
                        resampledProbabilities.append(sortedProbabilities[position])
                    }
                }
                return metric(resampledLabels, resampledProbabilities)
            }
        }
        return BootstrappedMetrics(
            count: labels.count, positives: positives,
            auroc: interval { BinaryClassificationMetrics.auroc(labels: $0, scores: $1) },
            auprc: interval { BinaryClassificationMetrics.averagePrecision(labels: $0, scores: $1) },
            brier: interval { BinaryClassificationMetrics.brierScore(labels: $0, probabilities: $1) })
    }
}
