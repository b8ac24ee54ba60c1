// STUB: owned by helper H2; replace every body.
extension Tensor {
    public func permuted(_ axes: [Int]) -> Tensor { fatalError("unimplemented") }
    public func transposed(_ a: Int, _ b: Int) -> Tensor { fatalError("unimplemented") }
    /// Elements [lo, hi) along `axis`.
    public func sliced(axis: Int, _ range: Range<Int>) -> Tensor { fatalError("unimplemented") }
    public static func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor { fatalError("unimplemented") }
    public static func stack(_ tensors: [Tensor], axis: Int) -> Tensor { fatalError("unimplemented") }
    public func broadcast(to shape: [Int]) -> Tensor { fatalError("unimplemented") }
    public func flipped(axis: Int) -> Tensor { fatalError("unimplemented") }
}
