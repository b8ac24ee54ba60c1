/// Which decoded frames the model sees: a fixed rate in frames per second (by presentation
/// time, so variable frame rates sample evenly), or every k-th frame.
public enum FrameSampling: Equatable, Sendable, CustomStringConvertible {
    case perSecond(Double)
    case everyKth(Int)

    public var description: String {
        switch self {
        case .perSecond(let fps): return "\(fps) frames/s"
        case .everyKth(let k): return k == 1 ? "every frame" : "every \(k)th frame"
        }
    }

    /// The decision for a stream read from its start.
    public func makeSampler() -> FrameSampler { FrameSampler(sampling: self) }
}

public struct FrameSampler {
    let sampling: FrameSampling
    private var nextTime: Double?

    init(sampling: FrameSampling) { self.sampling = sampling }

    /// Whether the frame with this ordinal and time is sampled. At a rate, the first frame is,
    /// then the first frame at or past each next multiple of 1/fps (skipping multiples a gap jumped).
    public mutating func keeps(index: Int, seconds: Double) -> Bool {
        switch sampling {
        case .everyKth(let k):
            return index % k == 0
        case .perSecond(let fps):
            let period = 1 / fps
            guard let due = nextTime else {
                nextTime = seconds + period
                return true
            }
            guard seconds >= due - 1e-6 else { return false }
            nextTime = due + period * max(1, ((seconds - due) / period + 1e-6).rounded(.down) + 1)
            return true
        }
    }
}
