/// Metrics with confidence intervals per quartile of one stratifier, for the model and (when given) the baseline.
public struct Stratification: Codable, Equatable, Sendable {
    /// One quartile's rows and metrics.
    public struct Bin: Codable, Equatable, Sendable {
        /// 1...4.
        public let quartile: Int
        /// Smallest and largest feature value among the quartile's rows (nil when it has none).
        public let minimum: Double?
        public let maximum: Double?
        public let model: BootstrappedMetrics
        public let baseline: BootstrappedMetrics?
    }

    public let stratifier: Stratifier
    public let quartiles: Quartiles
    public let bins: [Bin]

    /// Splits rows by the quartile of `values` (cut points over these rows) and evaluates each quartile;
    /// `baseline`, when given, holds a second model's probabilities for the same rows.
    public static func compute(_ stratifier: Stratifier, values: [Double], labels: [Bool], model: [Double],
                               baseline: [Double]?, replicates: Int = 1000, seed: UInt64) -> Stratification {
        precondition(values.count == labels.count && model.count == labels.count && (baseline?.count ?? labels.count) == labels.count,
                     "one value, label and probability per row")
        let quartiles = Quartiles(of: values)
        var members = [[Int]](repeating: [], count: 4)
        for (row, value) in values.enumerated() { members[quartiles.quartile(of: value) - 1].append(row) }
        let bins = members.enumerated().map { index, rows -> Bin in
            let binLabels = rows.map { labels[$0] }, binValues = rows.map { values[$0] }
            return Bin(quartile: index + 1, minimum: binValues.min(), maximum: binValues.max(),
                       model: .evaluate(labels: binLabels, probabilities: rows.map { model[$0] },
                                        replicates: replicates, seed: seed),
                       baseline: baseline.map { b in
                           .evaluate(labels: binLabels, probabilities: rows.map { b[$0] }, replicates: replicates, seed: seed)
                       })
        }
        return Stratification(stratifier: stratifier, quartiles: quartiles, bins: bins)
    }
}
