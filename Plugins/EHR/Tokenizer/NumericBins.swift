/// Per-code quantile bins for numeric values.
enum NumericBins {
    /// Bin edges from training values: the values at sorted ranks n*k/bins (k = 1..<bins), keeping only
    /// edges above the smallest value and each above the last, so no bin is empty on the training data
    /// and ties stay in one bin. A value's bin is the number of edges at or below it (0-based).
    static func edges(_ values: [Double], bins: Int) -> [Double] {
        guard bins > 1, !values.isEmpty else { return [] }
        let sorted = values.sorted()
        var edges: [Double] = []
        for k in 1..<bins {
            let edge = sorted[k * sorted.count / bins]
            if edge > sorted[0], edge > (edges.last ?? -.infinity) { edges.append(edge) }
        }
        return edges
    }

    /// The 0-based bin of `value`: how many edges are at or below it.
    @inline(__always)
    static func bin(_ value: Double, edges: [Double]) -> Int {
        var low = 0, high = edges.count
        while low < high {
            let mid = (low + high) / 2
            if edges[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
