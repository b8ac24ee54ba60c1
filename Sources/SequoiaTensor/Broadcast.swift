/// NumPy broadcasting rules: align shapes at the trailing dimension; sizes must match or be 1.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int] {
    let rank = max(a.count, b.count)
    var out = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        precondition(da == db || da == 1 || db == 1, "shapes \(a) and \(b) do not broadcast")
        out[i] = da == 1 ? db : da
    }
    return out
}

/// Row-major strides of `shape` as seen from a broadcast `target`: 0 where the dimension is
/// broadcast (or missing), so one index walk serves every operand.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let offset = target.count - shape.count
    var strides = [Int](repeating: 0, count: target.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i + offset] = shape[i] == 1 ? 0 : s
        s *= shape[i]
    }
    return strides
}

/// Visits every element of `shape` in row-major order with the matching offsets into two
/// operands of the given (broadcast) strides.
@inline(__always)
func forEachBroadcast(_ shape: [Int], _ sa: [Int], _ sb: [Int], _ body: (Int, Int, Int) -> Void) {
    let rank = shape.count
    let total = shape.reduce(1, *)
    if total == 0 { return }
    if rank == 0 { body(0, 0, 0); return }
    var index = [Int](repeating: 0, count: rank)
    var oa = 0, ob = 0
    let inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1]
    var o = 0
    while o < total {
        var a = oa, b = ob
        for _ in 0..<inner {
            body(o, a, b)
            o += 1; a += ia; b += ib
        }
        // Carry into the outer dimensions.
        var d = rank - 2
        while d >= 0 {
            index[d] += 1
            oa += sa[d]; ob += sb[d]
            if index[d] < shape[d] { break }
            oa -= sa[d] * shape[d]; ob -= sb[d] * shape[d]
            index[d] = 0
            d -= 1
        }
        if d < 0 { break }
    }
}

extension Tensor {
    /// Sums `self` down to `target` shape, undoing a broadcast (the gradient of a broadcast).
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let out = Tensor.zeros(target)
        let strides = broadcastStrides(target, to: shape)
        let zero = [Int](repeating: 0, count: shape.count)
        let src = pointer, dst = out.pointer
        forEachBroadcast(shape, strides, zero) { o, t, _ in dst[t] += src[o] }
        return out
    }
}
