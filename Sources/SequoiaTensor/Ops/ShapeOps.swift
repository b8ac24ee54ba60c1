/// Rearrangements that copy into a new contiguous tensor (layout is always contiguous;
/// `reshaped` is the only view). All go through `stridedCopy`.
extension Tensor {
    /// Dimensions reordered: result dimension i is this tensor's dimension axes[i].
    public func permuted(_ axes: [Int]) -> Tensor {
        let axes = axes.map { normalizeAxis($0, rank: rank) }
        precondition(axes.sorted() == Array(0..<rank), "permuted(\(axes)) is not a permutation of 0..<\(rank)")
        if axes == Array(0..<rank) { return self }
        let outShape = axes.map { shape[$0] }
        let strides = contiguousStrides(shape)
        let out = Tensor(uninitialized: outShape)
        stridedCopy(outShape, from: pointer, axes.map { strides[$0] }, to: out.pointer, contiguousStrides(outShape))
        var inverse = axes
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return out.recordingGrad([self]) { g in [g.permuted(inverse)] }
    }

    /// Dimensions `a` and `b` swapped.
    public func transposed(_ a: Int, _ b: Int) -> Tensor {
        var axes = Array(0..<rank)
        axes.swapAt(normalizeAxis(a, rank: rank), normalizeAxis(b, rank: rank))
        return permuted(axes)
    }

    /// Elements [lo, hi) along `axis`.
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor {
        let a = normalizeAxis(axis, rank: rank)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a],
                     "slice \(range) out of bounds for axis \(axis) of \(shape)")
        var outShape = shape
        outShape[a] = range.count
        let strides = contiguousStrides(shape)
        let offset = range.lowerBound * strides[a]
        let out = Tensor(uninitialized: outShape)
        stridedCopy(outShape, from: pointer + offset, strides, to: out.pointer, contiguousStrides(outShape))
        let shape = self.shape
        return out.recordingGrad([self]) { g in
            let gx = Tensor.zeros(shape)
            stridedCopy(outShape, from: g.pointer, contiguousStrides(outShape), to: gx.pointer + offset, strides)
            return [gx]
        }
    }

    /// Tensors joined along an existing `axis`; all other dimensions must match.
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "concatenate of no tensors")
        let first = tensors[0].shape
        let a = normalizeAxis(axis, rank: first.count)
        for t in tensors {
            precondition(t.rank == first.count && t.shape.indices.allSatisfy { $0 == a || t.shape[$0] == first[$0] },
                         "concatenate along axis \(axis): shape \(t.shape) does not fit \(first)")
        }
        var outShape = first
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let out = Tensor(uninitialized: outShape)
        let outStrides = contiguousStrides(outShape)
        var starts: [Int] = []
        var start = 0
        for t in tensors {
            starts.append(start)
            stridedCopy(t.shape, from: t.pointer, contiguousStrides(t.shape),
                        to: out.pointer + start * outStrides[a], outStrides)
            start += t.shape[a]
        }
        return out.recordingGrad(tensors) { g in
            zip(tensors, starts).map { t, s in t.requiresGrad ? g.sliced(axis: a, s..<(s + t.shape[a])) : nil }
        }
    }

    /// Equal-shaped tensors joined along a new `axis` (0...rank; negative counts from the end).
    public static func stack(_ tensors: [Tensor], axis: Int) -> Tensor {
        precondition(!tensors.isEmpty, "stack of no tensors")
        let shape = tensors[0].shape
        precondition(tensors.allSatisfy { $0.shape == shape }, "stack of differing shapes \(tensors.map(\.shape))")
        let a = normalizeAxis(axis, rank: shape.count + 1)
        return concatenate(tensors.map { $0.unsqueezed(axis: a) }, axis: a)
    }

    /// Copied out to `shape` by NumPy broadcasting (size-1 or missing leading dimensions repeat).
    public func broadcast(to target: [Int]) -> Tensor {
        precondition(target.count >= rank && broadcastShape(shape, target) == target,
                     "cannot broadcast \(shape) to \(target)")
        if shape == target { return self }
        let out = Tensor(uninitialized: target)
        stridedCopy(target, from: pointer, broadcastStrides(shape, to: target), to: out.pointer, contiguousStrides(target))
        let shape = self.shape
        return out.recordingGrad([self]) { g in [g.sumToShape(shape)] }
    }

    /// Elements in reverse order along `axis`.
    public func flipped(axis: Int) -> Tensor {
        precondition(rank > 0, "flipped(axis:) of a scalar")
        let a = normalizeAxis(axis, rank: rank)
        let out = Tensor(uninitialized: shape)
        guard count > 0 else { return out }
        var strides = contiguousStrides(shape)
        let start = (shape[a] - 1) * strides[a]
        strides[a] = -strides[a]
        stridedCopy(shape, from: pointer + start, strides, to: out.pointer, contiguousStrides(shape))
        return out.recordingGrad([self]) { g in [g.flipped(axis: a)] }
    }

    /// The size-1 dimension `axis` removed (a reshape, sharing storage).
    public func squeezed(axis: Int) -> Tensor {
        let a = normalizeAxis(axis, rank: rank)
        precondition(shape[a] == 1, "squeezed(axis: \(axis)) of a dimension of size \(shape[a]) in \(shape)")
        var s = shape
        s.remove(at: a)
        return reshaped(s)
    }

    /// A size-1 dimension inserted at `axis` (0...rank; negative counts from the end; a reshape).
    public func unsqueezed(axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: normalizeAxis(axis, rank: rank + 1))
        return reshaped(s)
    }
}
