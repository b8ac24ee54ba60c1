// STUB: owned by helper H2; replace every body.
extension Tensor {
    /// Sum of every element, as a scalar tensor (shape []).
    public func sum() -> Tensor { fatalError("unimplemented") }
    public func mean() -> Tensor { fatalError("unimplemented") }
    public func sum(axis: Int, keepDims: Bool = false) -> Tensor { fatalError("unimplemented") }
    public func mean(axis: Int, keepDims: Bool = false) -> Tensor { fatalError("unimplemented") }
    public func max(axis: Int, keepDims: Bool = false) -> Tensor { fatalError("unimplemented") }
    public func logSumExp(axis: Int, keepDims: Bool = false) -> Tensor { fatalError("unimplemented") }
}
