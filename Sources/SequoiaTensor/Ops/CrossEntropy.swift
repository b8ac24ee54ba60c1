import Foundation

/// Mean cross-entropy of `logits` [..., V] against integer `targets` [...], skipping
/// positions equal to `ignoreIndex` (the mean is over the positions kept).
///
/// Fused: one pass per row computes the stable log-sum-exp and the loss, and the backward
/// writes (softmax - onehot) / count in one pass from the kept per-row max and sum of
/// exponentials; no [N, V] log-probabilities are stored. When every position is ignored the
/// loss is 0 with a zero gradient: a batch of pure padding then contributes nothing instead of
/// a 0/0 NaN that would poison the parameters.
public func crossEntropy(logits: Tensor, targets: IndexTensor, ignoreIndex: Int32 = -100) -> Tensor {
    precondition(logits.rank >= 1, "crossEntropy: logits need a class axis, got shape \(logits.shape)")
    precondition(Array(logits.shape.dropLast()) == targets.shape,
                 "crossEntropy: targets \(targets.shape) must match logits \(logits.shape) without the class axis")
    let classes = logits.shape[logits.rank - 1], rows = targets.count
    var kept = 0
    for (i, t) in targets.scalars.enumerated() where t != ignoreIndex {
        precondition(t >= 0 && Int(t) < classes,
                     "crossEntropy: target \(t) at position \(i) is outside 0..<\(classes) and is not ignoreIndex \(ignoreIndex)")
        kept += 1
    }
    guard kept > 0 else {
        let shape = logits.shape
        return Tensor(0).recordingGrad([logits]) { _ in [Tensor.zeros(shape)] }
    }

    // Per kept row: the maximum and 1 / sum(e^(x - max)), for the backward.
    let stats = Tensor(uninitialized: [2, rows])
    let x = logits.pointer, m = stats.pointer, inv = stats.pointer + rows
    var losses = [Double](repeating: 0, count: rows)
    let v = AxisView(logits.shape, axis: logits.rank - 1)
    targets.scalars.withUnsafeBufferPointer { tp in
        losses.withUnsafeMutableBufferPointer { lp in
            let t = tp.baseAddress!, loss = lp.baseAddress!
            forEachRow(v) { r in
                guard t[r] != ignoreIndex else { return }
                let row = x + r * classes
                let top = rowMax(row, classes)
                let shift = top.isFinite ? top : 0
                let s = rowSumExp(row, classes, shift: shift)
                m[r] = shift
                inv[r] = Float(1 / s)
                loss[r] = Foundation.log(s) - Double(row[Int(t[r])] - shift)
            }
        }
    }
    let out = Tensor(Float(losses.reduce(0, +) / Double(kept)))
    let ids = targets.scalars
    return out.recordingGrad([logits]) { g in
        let c = g.item() / Float(kept)
        let gx = Tensor(uninitialized: logits.shape)
        let px = logits.pointer, pg = gx.pointer, m = stats.pointer, inv = stats.pointer + rows
        ids.withUnsafeBufferPointer { tp in
            let t = tp.baseAddress!
            forEachRow(v) { r in
                let dst = pg + r * classes
                guard t[r] != ignoreIndex else {
                    dst.update(repeating: 0, count: classes)
                    return
                }
                let src = px + r * classes
                let shift = FloatVector(repeating: m[r]), scale = FloatVector(repeating: c * inv[r])
                for j in stride(from: 0, to: classes, by: 8) {
                    let w = Swift.min(8, classes - j)
                    VectorMath.store(VectorMath.exp(VectorMath.load(src + j, w) - shift) * scale, dst + j, w)
                }
                dst[Int(t[r])] -= c
            }
        }
        return [gx]
    }
}

/// Binary cross-entropy of logits against targets in [0, 1], softplus(z) - y z, averaged with
/// `weights` (one per logit, e.g. 0 on padding and more on a rare class): sum w l / sum w.
/// Without weights it is the plain mean.
public func binaryCrossEntropy(logits: Tensor, targets: [Float], weights: [Float]? = nil) -> Tensor {
    precondition(logits.count == targets.count, "logits \(logits.shape) for \(targets.count) targets")
    let y = Tensor(shape: logits.shape, scalars: targets)
    let losses = logits.softplus() - y * logits
    guard let weights else { return losses.mean() }
    precondition(weights.count == targets.count, "\(weights.count) weights for \(targets.count) targets")
    let total = weights.reduce(0, +)
    precondition(total > 0, "binary cross-entropy with no weight on any logit")
    return (losses * Tensor(shape: logits.shape, scalars: weights.map { $0 / total })).sum()
}
