/// The q-quantile (0...1) of ascending `sorted`, linear between neighbouring order statistics (numpy's
/// default percentile).
public func linearPercentile(_ sorted: [Double], _ q: Double) -> Double {
    precondition(!sorted.isEmpty, "percentile of no values")
    let position = q * Double(sorted.count - 1)
    let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
    return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
}
