import Foundation

/// Plain-loop float64 helpers for references of ops along one axis, written independently of
/// the library's kernels.

/// [outer, n, inner] sizes around `axis` (negative counts from the end).
func splitAxis(_ shape: [Int], _ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    let a = axis < 0 ? axis + shape.count : axis
    var outer = 1, inner = 1
    for i in 0..<a { outer *= shape[i] }
    for i in (a + 1)..<shape.count { inner *= shape[i] }
    return (outer, shape[a], inner)
}

/// One value per lane (row-major over the other axes) from the lane's values along `axis`.
func reduceLanes(_ x: [Double], _ shape: [Int], axis: Int, _ f: ([Double]) -> Double) -> [Double] {
    let (outer, n, inner) = splitAxis(shape, axis)
    var out: [Double] = []
    for o in 0..<outer {
        for i in 0..<inner {
            var lane: [Double] = []
            for k in 0..<n { lane.append(x[(o * n + k) * inner + i]) }
            out.append(f(lane))
        }
    }
    return out
}

/// Every lane along `axis` replaced by `f` of it (same length).
func mapLanes(_ x: [Double], _ shape: [Int], axis: Int, _ f: ([Double]) -> [Double]) -> [Double] {
    let (outer, n, inner) = splitAxis(shape, axis)
    var out = x
    for o in 0..<outer {
        for i in 0..<inner {
            var lane: [Double] = []
            for k in 0..<n { lane.append(x[(o * n + k) * inner + i]) }
            let y = f(lane)
            for k in 0..<n { out[(o * n + k) * inner + i] = y[k] }
        }
    }
    return out
}

/// log(sum(exp(v))) the textbook way, shifted by the maximum.
func logSumExpReference(_ v: [Double]) -> Double {
    let m = v.max()!
    return m + Foundation.log(v.reduce(0.0) { (s: Double, e: Double) -> Double in s + Foundation.exp(e - m) })
}

/// Mixed-radix index of flat position `flat` in `shape`.
func unflatten(_ flat: Int, _ shape: [Int]) -> [Int] {
    var index = [Int](repeating: 0, count: shape.count)
    var rem = flat
    for d in stride(from: shape.count - 1, through: 0, by: -1) {
        index[d] = rem % shape[d]
        rem /= shape[d]
    }
    return index
}

/// Flat position of `index` in `shape`.
func flatten(_ index: [Int], _ shape: [Int]) -> Int {
    var flat = 0
    for d in 0..<shape.count { flat = flat * shape[d] + index[d] }
    return flat
}
