import SequoiaModels
import SequoiaTensor

/// A synthetic video with transitions at known frames (TransNetV2's recipe): random pieces of
/// the training videos, each within one shot, joined by hard cuts, dissolves or fades through
/// black. It is a list of frames, each one source frame or a mix of two.
public struct SplicedClip {
    public struct Frame {
        public var a: (video: Int, frame: Int)
        public var b: (video: Int, frame: Int)?
        /// A frame is (1 - mix) a + mix b, times gain (b absent: gain a).
        public var mix: Float = 0
        public var gain: Float = 1
        public var seconds: Double
        /// In a transition (a cut's first frame, or any frame of a dissolve or fade).
        public var transition: Bool
        public var isPure: Bool { b == nil && gain == 1 }
    }

    public struct Mix: Codable, Equatable {
        public var cut = 0.6
        public var dissolve = 0.25
        public var fade = 0.15
        public var minPieceSeconds = 1.0
        public var maxPieceSeconds = 5.0
        public var minTransitionSeconds = 0.3
        public var maxTransitionSeconds = 1.2

        enum CodingKeys: String, CodingKey {
            case cut, dissolve, fade, minPieceSeconds = "min_piece_seconds", maxPieceSeconds = "max_piece_seconds"
            case minTransitionSeconds = "min_transition_seconds", maxTransitionSeconds = "max_transition_seconds"
        }

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.fill(&cut, .cut)
            try c.fill(&dissolve, .dissolve)
            try c.fill(&fade, .fade)
            try c.fill(&minPieceSeconds, .minPieceSeconds)
            try c.fill(&maxPieceSeconds, .maxPieceSeconds)
            try c.fill(&minTransitionSeconds, .minTransitionSeconds)
            try c.fill(&maxTransitionSeconds, .maxTransitionSeconds)
        }
    }

    public var frames: [Frame] = []

    /// At least `seconds` of spliced video.
    public init(videos: [SourceVideo], seconds: Double, mix: Mix, rng: inout RandomGenerator) {
        var time = 0.0
        while time < seconds {
            let (video, shot) = Self.pickShot(videos, rng: &rng)
            let rate = videos[video].frameRate
            let length = min(shot.count, max(2, Int(Self.uniform(Float(mix.minPieceSeconds), Float(mix.maxPieceSeconds), &rng) * Float(rate))))
            let start = shot.lowerBound + rng.nextInt(shot.count - length + 1)
            let piece = start..<(start + length)
            let transitionFrames = max(2, Int(Self.uniform(Float(mix.minTransitionSeconds), Float(mix.maxTransitionSeconds), &rng) * Float(rate)))
            let kind = Self.uniform(0, Float(mix.cut + mix.dissolve + mix.fade), &rng)
            if frames.count > transitionFrames {
                if kind < Float(mix.cut) {
                    append(video, piece, rate: rate, time: &time, firstIsTransition: true)
                } else if kind < Float(mix.cut + mix.dissolve) {
                    // The last frames of the previous piece blend into the first of this one.
                    let n = min(transitionFrames, piece.count / 2, frames.count / 2)
                    let overlapStart = frames.count - n
                    for k in 0..<n {
                        frames[overlapStart + k].b = (video, piece.lowerBound + k)
                        frames[overlapStart + k].mix = Float(k + 1) / Float(n + 1)
                        frames[overlapStart + k].transition = true
                    }
                    append(video, piece.lowerBound + n ..< piece.upperBound, rate: rate, time: &time, firstIsTransition: false)
                } else {
                    let n = max(1, min(transitionFrames / 2, frames.count / 2, piece.count / 2))
                    for k in 0..<n {
                        frames[frames.count - n + k].gain = 1 - Float(k + 1) / Float(n + 1)
                        frames[frames.count - n + k].transition = true
                    }
                    let first = frames.count
                    append(video, piece, rate: rate, time: &time, firstIsTransition: true)
                    for k in 0..<min(n, frames.count - first) {
                        frames[first + k].gain = Float(k + 1) / Float(n + 1)
                        frames[first + k].transition = true
                    }
                }
            } else {
                append(video, piece, rate: rate, time: &time, firstIsTransition: false)
            }
        }
    }

    private mutating func append(_ video: Int, _ range: Range<Int>, rate: Double, time: inout Double, firstIsTransition: Bool) {
        for (k, f) in range.enumerated() {
            frames.append(Frame(a: (video, f), b: nil, seconds: time, transition: firstIsTransition && k == 0))
            time += 1 / rate
        }
    }

    private static func uniform(_ low: Float, _ high: Float, _ rng: inout RandomGenerator) -> Float { low + (high - low) * rng.nextFloat() }

    /// A shot, chosen in proportion to its length, of at least two frames.
    static func pickShot(_ videos: [SourceVideo], rng: inout RandomGenerator) -> (Int, Range<Int>) {
        let shots = videos.enumerated().flatMap { v, video in video.shots.filter { $0.count >= 2 }.map { (v, $0) } }
        let total = shots.reduce(0) { $0 + $1.1.count }
        var pick = rng.nextInt(total)
        for shot in shots {
            if pick < shot.1.count { return shot }
            pick -= shot.1.count
        }
        return shots[shots.count - 1]
    }

    /// The frame's pixels from `images` (the sources' images or thumbnails).
    public static func render(_ frame: Frame, _ images: (Int, Int) -> RGBImage) -> RGBImage {
        var image = images(frame.a.video, frame.a.frame)
        if let b = frame.b { image = image.blended(with: images(b.video, b.frame), frame.mix) }
        return frame.gain == 1 ? image : image.faded(frame.gain)
    }
}
