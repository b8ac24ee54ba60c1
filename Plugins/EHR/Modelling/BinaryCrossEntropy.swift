import SequoiaTensor

/// Mean binary cross-entropy of logits [B] against 0/1 outcomes: softplus(z) − y·z.
public func binaryCrossEntropy(logits: Tensor, outcomes: [Int]) -> Tensor {
    precondition(logits.shape == [outcomes.count], "logits \(logits.shape) for \(outcomes.count) outcomes")
    let y = Tensor(shape: [outcomes.count], scalars: outcomes.map(Float.init))
    return (logits.softplus() - y * logits).mean()
}
