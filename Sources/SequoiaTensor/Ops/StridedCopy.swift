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
/// innermost dimension of the output innermost (blocked when it is a transpose). Rows of the
/// outer dimensions run in parallel.
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
    if run.s != 1 && run.s != 0 && run.d == 1, let p = dims.firstIndex(where: { $0.s == 1 }) {
        let across = dims.remove(at: p)
        transposeInBlocks(dims, across: across, run: run, from: src, to: dst)
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

/// A copy whose output-contiguous `run` reads the source with a stride, while the source is
/// contiguous along `across` (a transpose of those two dimensions, under the `outer` ones).
/// Moves 32 x 32 blocks so the 32 source lines and 32 destination lines of a block stay in L1,
/// instead of touching a new source cache line for every element.
private func transposeInBlocks(_ outer: [(n: Int, s: Int, d: Int)], across: (n: Int, s: Int, d: Int),
                               run: (n: Int, s: Int, d: Int),
                               from src: UnsafePointer<Float>, to dst: UnsafeMutablePointer<Float>) {
    let block = 32
    let bands = (across.n + block - 1) / block
    let rows = outer.reduce(1) { $0 * $1.n }
    Parallel.forChunks(rows * bands, grain: Swift.max(1, (1 << 15) / (block * run.n))) { r in
        for u in r {
            var rem = u / bands, so = 0, dof = 0
            for k in stride(from: outer.count - 1, through: 0, by: -1) {
                let i = rem % outer[k].n
                rem /= outer[k].n
                so += i * outer[k].s
                dof += i * outer[k].d
            }
            let p0 = (u % bands) * block, p1 = Swift.min(across.n, p0 + block)
            for j0 in stride(from: 0, to: run.n, by: block) {
                let j1 = Swift.min(run.n, j0 + block)
                for p in p0..<p1 {
                    let ps = src + so + p, pd = dst + dof + p * across.d
                    for j in j0..<j1 { pd[j] = ps[j * run.s] }
                }
            }
        }
    }
}
