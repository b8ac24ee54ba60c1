/// Cheap pixel evidence for a sampled frame, from 16x16 thumbnails of every decoded frame since
/// the previous sampled one: the largest and the mean change between consecutive decoded frames
/// (a cut is one large step, a dissolve many small ones), the change from the previous sampled
/// frame, and brightness (a fade goes to black). Training computes them from spliced
/// thumbnails with the same tracker, so they mean the same in both.
public struct FrameCues: Equatable {
    public static let count = 4
    public static let thumbnailSide = 16

    public var values: [Float]

    public init(values: [Float]) {
        precondition(values.count == Self.count)
        self.values = values
    }
}

/// Follows the decoded frames of one stream and turns them into cues at each sampled frame; it
/// also keeps each decoded frame's step (change from the frame before) for refining boundaries.
public struct CueTracker {
    private var previous: RGBImage?
    private var previousSampled: RGBImage?
    private var largest: Float = 0
    private var total: Float = 0
    private var steps = 0

    public init() {}

    /// The change of this decoded frame's thumbnail from the previous one's, in [0, 255].
    @discardableResult
    public mutating func observe(_ thumbnail: RGBImage) -> Float {
        let step = previous.map { thumbnail.meanAbsoluteDifference($0) } ?? 0
        previous = thumbnail
        largest = max(largest, step)
        total += step
        steps += 1
        return step
    }

    /// Cues of the frame just observed, which is sampled; starts the next interval.
    public mutating func sample() -> FrameCues {
        guard let current = previous else { preconditionFailure("sample() before any observe()") }
        let jump = previousSampled.map { current.meanAbsoluteDifference($0) } ?? 0
        let brightness = Float(current.pixels.reduce(0) { $0 + Int($1) }) / Float(max(1, current.pixels.count))
        let cues = FrameCues(values: [largest / 64, total / Float(max(1, steps)) / 64, jump / 64, brightness / 255])
        previousSampled = current
        largest = 0
        total = 0
        steps = 0
        return cues
    }
}
