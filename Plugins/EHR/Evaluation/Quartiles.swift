/// Quartile bins of a feature: the 25th, 50th and 75th percentiles of the values (linear between order
/// statistics, numpy's default) as cut points; a value v falls in quartile 1 when v <= q25, 2 when
/// q25 < v <= q50, 3 when q50 < v <= q75, else 4. Ties at a cut point all go to the lower quartile, so
/// a feature with many equal values (e.g. zero repetition) fills the quartiles unevenly, never splits a tie.
public struct Quartiles: Codable, Equatable, Sendable {
    /// q25, q50, q75.
    public let cutPoints: [Double]

    /// The quartile cut points of `values` (which must not be empty).
    public init(of values: [Double]) {
        precondition(!values.isEmpty, "quartiles of no values")
        let sorted = values.sorted()
        cutPoints = [0.25, 0.5, 0.75].map { q in
            let position = q * Double(sorted.count - 1)
            let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
            return sorted[below] + (sorted[above] - sorted[below]) * (position - Double(below))
        }
    }

    /// The quartile, 1...4, that `value` falls in.
    public func quartile(of value: Double) -> Int {
        var q = 1
        for cut in cutPoints where value > cut { q += 1 }
        return q
    }
}
