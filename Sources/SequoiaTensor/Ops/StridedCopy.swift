/// The one copy kernel behind permute, slice, concatenate, broadcast and flip: walk a shape,
/// reading and writing through arbitrary (possibly zero or negative) element strides.

/// Row-major strides of a contiguous tensor of `shape`.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var s = [Int](repeating: 1, count: shape.count)
    var acc = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        s[i] = acc
        acc *= shape[i]
    }
    return s
}

/// Copies element `idx` of `shape` from `src[idx . srcStrides]` to `dst[idx . dstStrides]`.
/// Dimensions that are contiguous in both (and size-1 dimensions) are merged first, so slices,
/// concatenation and row broadcasts become runs of memcpy / fill; what is left loops with the
/// innermost dimension of the output innermost. Rows of the outer dimensions run in parallel.
func stridedCopy(_ shape: [Int], from src: UnsafePointer<Float>, _ srcStrides: [Int],
                 to dst: UnsafeMutablePointer<Float>, _ dstStrides: [Int]) {
    var dims: [(n: Int, s: Int, d: Int)] = []
    for i in shape.indices where shape[i] != 1 {
        if shape[i] == 0 { return }
        if let last = dims.last, last.s == srcStrides[i] * shape[i], last.d == dstStrides[i] * shape[i] {
            dims[dims.count - 1] = (last.n * shape[i], srcStrides[i], dstStrides[i])
        } else {
            dims.append((shape[i], srcStrides[i], dstStrides[i]))
        }
    }
    guard let run = dims.popLast() else {
        dst[0] = src[0]
        return
    }
    let rows = dims.reduce(1) { $0 * $1.n }
    Parallel.forChunks(rows, grain: Swift.max(1, (1 << 15) / run.n)) { r in
        // Mixed-radix start position of this chunk, then an odometer over the outer dimensions.
        var index = [Int](repeating: 0, count: dims.count)
        var so = 0, dof = 0, rem = r.lowerBound
        for k in stride(from: dims.count - 1, through: 0, by: -1) {
            index[k] = rem % dims[k].n
            rem /= dims[k].n
            so += index[k] * dims[k].s
            dof += index[k] * dims[k].d
        }
        for _ in r {
            let ps = src + so, pd = dst + dof
            if run.s == 1 && run.d == 1 {
                pd.update(from: ps, count: run.n)
            } else if run.s == 0 && run.d == 1 {
                pd.update(repeating: ps[0], count: run.n)
            } else {
                for j in 0..<run.n { pd[j * run.d] = ps[j * run.s] }
            }
            var k = dims.count - 1
            while k >= 0 {
                index[k] += 1
                so += dims[k].s
                dof += dims[k].d
                if index[k] < dims[k].n { break }
                so -= dims[k].s * dims[k].n
                dof -= dims[k].d * dims[k].n
                index[k] = 0
                k -= 1
            }
        }
    }
}
