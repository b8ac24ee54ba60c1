// STUB: owned by helper H3; replace every body.
/// Rows of `weight` [V, D] picked by `ids`; result ids.shape + [D].
public func embedding(_ ids: IndexTensor, weight: Tensor) -> Tensor { fatalError("unimplemented") }
