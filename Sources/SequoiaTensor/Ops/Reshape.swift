extension Tensor {
    /// Same elements, new shape; shares storage. One dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var dims = newShape
        if let inferred = dims.firstIndex(of: -1) {
            let known = dims.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            dims[inferred] = count / known
        }
        precondition(dims.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        if dims == shape { return self }
        let out = Tensor(storage: storage, shape: dims)
        let original = shape
        return out.recordingGrad([self]) { g in [g.reshaped(original)] }
    }
}
