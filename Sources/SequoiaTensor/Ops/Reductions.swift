import Foundation

/// Sums, means, maxima and log-sum-exp, over everything or along one axis (negative axes count
/// from the end; `keepDims` leaves the reduced axis as size 1).
extension Tensor {
    /// Sum of every element, as a scalar tensor (shape []).
    public func sum() -> Tensor { reduceAll(scale: 1) }

    /// Mean of every element, as a scalar tensor (shape []).
    public func mean() -> Tensor { reduceAll(scale: 1 / Float(count)) }

    /// Sum along `axis`.
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { sumAlong(axis, keepDims: keepDims, mean: false) }

    /// Mean along `axis`.
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { sumAlong(axis, keepDims: keepDims, mean: true) }

    /// Maximum along `axis`; the gradient goes to the first maximal element (as PyTorch's max(dim)).
    public func max(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizeAxis(axis, rank: rank), v = AxisView(shape, axis: a)
        precondition(v.n > 0, "max along an empty axis of \(shape)")
        let out = Tensor(uninitialized: reducedShape(shape, axis: a, keepDims: keepDims))
        var indices = [Int32](repeating: 0, count: v.lanes)
        indices.withUnsafeMutableBufferPointer { axisArgMax(pointer, v, values: out.pointer, indices: $0.baseAddress!) }
        let shape = self.shape
        return out.recordingGrad([self]) { [indices] g in
            let gx = Tensor.zeros(shape)
            let pg = g.pointer, px = gx.pointer
            indices.withUnsafeBufferPointer { at in
                for o in 0..<v.outer {
                    for i in 0..<v.inner {
                        let lane = o * v.inner + i
                        px[(o * v.n + Int(at[lane])) * v.inner + i] = pg[lane]
                    }
                }
            }
            return [gx]
        }
    }

    /// log(sum(exp(x))) along `axis`, computed around the maximum so large inputs do not overflow.
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor {
        let a = normalizeAxis(axis, rank: rank), v = AxisView(shape, axis: a)
        let out = Tensor(uninitialized: reducedShape(shape, axis: a, keepDims: keepDims))
        let po = out.pointer
        withScratch(v.lanes) { ps in
            axisMaxSumExp(pointer, v, max: po, sumExp: ps)
            for l in 0..<v.lanes { po[l] += Foundation.log(ps[l]) }
        }
        let x = self
        // The closure holds the output's storage, not the output (which owns the closure).
        let lse = out.storage
        return out.recordingGrad([self]) { g in
            // d lse / dx = softmax(x) = e^(x - lse).
            let gx = Tensor(uninitialized: x.shape)
            forEachRun(v, ExpShiftedKernel(x: x.pointer, shift: lse.pointer, scale: g.pointer, out: gx.pointer))
            return [gx]
        }
    }

    private func reduceAll(scale: Float) -> Tensor {
        let out = Tensor(Float(totalSum() * Double(scale)))
        let shape = self.shape
        return out.recordingGrad([self]) { g in [Tensor.full(shape, g.item() * scale)] }
    }

    /// Sum of every element: blocks of 64K in parallel, combined in Double.
    private func totalSum() -> Double {
        let block = 1 << 16, n = count, p = pointer
        let blocks = (n + block - 1) / block
        var partials = [Double](repeating: 0, count: blocks)
        partials.withUnsafeMutableBufferPointer { part in
            let pp = part.baseAddress!
            Parallel.forChunks(blocks, grain: 1) { r in
                for b in r { pp[b] = rowSum(p + b * block, nil, Swift.min(block, n - b * block)) }
            }
        }
        return partials.reduce(0, +)
    }

    private func sumAlong(_ axis: Int, keepDims: Bool, mean: Bool) -> Tensor {
        let a = normalizeAxis(axis, rank: rank), v = AxisView(shape, axis: a)
        let scale: Float = mean ? 1 / Float(v.n) : 1
        let out = Tensor(uninitialized: reducedShape(shape, axis: a, keepDims: keepDims))
        axisSum(pointer, nil, v, scale: scale, into: out.pointer)
        let shape = self.shape
        return out.recordingGrad([self]) { g in
            let gx = Tensor(uninitialized: shape)
            forEachRun(v, ExpandKernel(g: g.pointer, scale: scale, out: gx.pointer))
            return [gx]
        }
    }
}
