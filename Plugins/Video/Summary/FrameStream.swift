import SequoiaKit

/// Reads a frame source once, in order: every decoded frame gets a 16x16 thumbnail (its step
/// goes to `steps`), and each frame the sampling keeps comes out at the encoder's size with its cues.
public final class FrameStream {
    public let source: FrameSource
    public let sampling: FrameSampling
    public private(set) var steps: [FrameStep] = []
    private var sampler: FrameSampler
    private var cues = CueTracker()
    private let thumbnails = FrameScaler(width: FrameCues.thumbnailSide, height: FrameCues.thumbnailSide, area: true)
    private let resize: FrameScaler
    private let progress: ProgressBar?

    public init(_ source: FrameSource, sampling: FrameSampling, inputSize: Int, showsProgress: Bool) {
        self.source = source
        self.sampling = sampling
        sampler = sampling.makeSampler()
        resize = FrameScaler(width: inputSize, height: inputSize)
        progress = showsProgress ? ProgressBar(total: source.expectedFrames ?? 0, label: "frames", unit: "frames") : nil
    }

    /// Decoded frames read so far.
    public var decodedFrames: Int { steps.count }

    /// The next sampled frame, or nil at the end of the source.
    public func next() throws -> SampledFrame? {
        while let frame = try source.next() {
            let step = cues.observe(thumbnails.rgb(frame))
            let index = steps.count
            steps.append(FrameStep(index: Int32(index), seconds: frame.seconds, step: step))
            if index % 25 == 0 { progress?.update(step: index + 1, units: 25) }
            guard sampler.keeps(index: index, seconds: frame.seconds) else { continue }
            let image = resize.rgb(frame)
            return SampledFrame(index: index, seconds: frame.seconds, image: image, cues: cues.sample(), sharpness: image.sharpness)
        }
        progress?.finish()
        return nil
    }

    /// Up to `count` sampled frames.
    public func next(_ count: Int) throws -> [SampledFrame] {
        var frames: [SampledFrame] = []
        while frames.count < count, let frame = try next() { frames.append(frame) }
        return frames
    }
}
