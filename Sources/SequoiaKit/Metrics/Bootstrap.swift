import SequoiaTensor

/// A statistic with a percentile bootstrap confidence interval.
public struct BootstrapInterval: Equatable, Sendable, Codable {
    /// The statistic on the original sample.
    public let estimate: Double
    /// Lower and upper percentile bounds of the replicate distribution.
    public let lower: Double
    public let upper: Double
    /// Nominal coverage, e.g. 0.95.
    public let confidence: Double
    /// Replicates whose statistic was defined (used for the bounds).
    public let replicates: Int
    /// Replicates skipped because the statistic was undefined on them (e.g. AUROC on a one-class resample).
    public let skipped: Int
}

/// Seeded percentile bootstrap: resample the examples with replacement, recompute, read the percentiles.
public enum Bootstrap {
    /// The interval of `statistic` (given the resampled example indices; nil where undefined) over
    /// `replicates` resamples of `sampleCount` examples; nil when the statistic is undefined on the sample
    /// itself or on every replicate. Bounds interpolate linearly between order statistics (numpy's percentile).
    public static func interval(sampleCount: Int, replicates: Int = 1000, confidence: Double = 0.95, seed: UInt64,
                                statistic: ([Int]) -> Double?) -> BootstrapInterval? {
        precondition(sampleCount > 0 && replicates > 0 && confidence > 0 && confidence < 1)
        guard let estimate = statistic(Array(0..<sampleCount)) else { return nil }
        var generator = RandomGenerator(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(replicates)
        var indices = [Int](repeating: 0, count: sampleCount)
        for _ in 0..<replicates {
            for i in 0..<sampleCount { indices[i] = generator.nextInt(sampleCount) }
            if let value = statistic(indices) { values.append(value) }
        }
        guard !values.isEmpty else { return nil }
        values.sort()
        let tail = (1 - confidence) / 2
        return BootstrapInterval(estimate: estimate, lower: linearPercentile(values, tail), upper: linearPercentile(values, 1 - tail),
                                 confidence: confidence, replicates: values.count, skipped: replicates - values.count)
    }
}
