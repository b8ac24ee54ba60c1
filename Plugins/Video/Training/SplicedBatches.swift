import SequoiaKit
import SequoiaTensor

/// A training batch: clips of `frames` sampled frames as tokens, with each frame's target (a
/// transition runs through it since the previous sampled frame) and loss weight.
public struct VideoBatch {
    public var tokens: FrameTokens
    public var frames: Int
    public var targets: [Float]
    public var weights: [Float]
}

/// Endless batches of freshly spliced clips, sampled as summarize samples a video; all randomness
/// comes from the trainer's generator, so a resumed run draws the same clips.
public struct SplicedBatches: TrainingData {
    public let videos: [SourceVideo]
    public let encoder: FrameEncoder
    public let settings: VideoSettings
    public let mix: SplicedClip.Mix
    public let batchSize: Int
    /// Loss weight of a transition frame (they are rare).
    public let positiveWeight: Float
    public var position = 0

    public init(videos: [SourceVideo], encoder: FrameEncoder, settings: VideoSettings, mix: SplicedClip.Mix,
                batchSize: Int, positiveWeight: Float) {
        self.videos = videos
        self.encoder = encoder
        self.settings = settings
        self.mix = mix
        self.batchSize = batchSize
        self.positiveWeight = positiveWeight
    }

    public mutating func next(rng: inout RandomGenerator) throws -> VideoBatch {
        position += 1
        return batch(rng: &rng)
    }

    /// A batch drawn from `rng` (also used for fixed held-out batches).
    public func batch(rng: inout RandomGenerator) -> VideoBatch {
        let frames = settings.trainedFrames
        var clips: [[EncodedFrame]] = [], targets: [Float] = []
        for _ in 0..<batchSize {
            let (clip, labels) = sampledClip(frames: frames, rng: &rng)
            clips.append(clip)
            targets += labels
        }
        let weights = targets.map { $0 > 0 ? positiveWeight : 1 }
        return VideoBatch(tokens: FrameTokens(clips, pooling: settings.pooling, channels: encoder.channels),
                          frames: frames, targets: targets, weights: weights)
    }

    /// One spliced clip sampled at the model's rate: its encoded frames and targets.
    func sampledClip(frames count: Int, rng: inout RandomGenerator) -> ([EncodedFrame], [Float]) {
        let seconds = Double(count + 2) / settings.fps + mix.maxPieceSeconds
        let clip = SplicedClip(videos: videos, seconds: seconds, mix: mix, rng: &rng)
        var sampler = FrameSampling.perSecond(settings.fps).makeSampler()
        var cues = CueTracker()
        var picked: [(frame: SplicedClip.Frame, cues: FrameCues, target: Float)] = []
        var inTransition = false
        for (i, frame) in clip.frames.enumerated() {
            cues.observe(SplicedClip.render(frame) { videos[$0].thumbnails[$1] })
            inTransition = inTransition || frame.transition
            guard sampler.keeps(index: i, seconds: frame.seconds) else { continue }
            picked.append((frame, cues.sample(), inTransition ? 1 : 0))
            inTransition = false
            if picked.count == count { break }
        }
        // Mixed frames are encoded now; pure ones come from the cache with this clip's cues.
        let mixed = picked.indices.filter { !picked[$0].frame.isPure }
        let rendered = encoder.encode(mixed.map { SplicedClip.render(picked[$0].frame) { videos[$0].images[$1] } },
                                      cues: mixed.map { picked[$0].cues })
        var encoded = picked.map { p -> EncodedFrame in
            var e = videos[p.frame.a.video].encoded[p.frame.a.frame]
            e.cues = p.cues
            return e
        }
        for (k, i) in mixed.enumerated() { encoded[i] = rendered[k] }
        return (encoded, picked.map(\.target))
    }
}
