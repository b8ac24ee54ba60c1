/// torch.linspace in float32 as its CPU kernel computes it: the first half counts up from
/// `start`, the second half down from `end`, so both ends are exact. The Hyena buffers are
/// built this way, and matching it keeps recomputed buffers within rounding of stored ones.
func torchLinspace(_ start: Float, _ end: Float, count: Int) -> [Float] {
    guard count > 1 else { return count == 1 ? [start] : [] }
    let step = (end - start) / Float(count - 1)
    return (0..<count).map { i in i < count / 2 ? start + step * Float(i) : end - step * Float(count - 1 - i) }
}
