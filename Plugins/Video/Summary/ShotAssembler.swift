/// Turns scored frames, in order, into shots as they arrive. A run of sampled frames above the
/// threshold is one transition; its exact frame is found among the decoded frames it spans: the
/// one largest step when it stands out (a cut), else the middle of the span (a dissolve or fade).
/// Only the current shot's frames are held, so memory follows the longest shot, not the video.
public final class ShotAssembler {
    public let threshold: Float
    public private(set) var shots: [Shot] = []
    private var members: [(index: Int, seconds: Double, sharpness: Float, embedding: [Float])] = []
    private var run: [ScoredFrame] = []
    private var runOpensAfter = -1
    private var lastSampled = -1
    private var current = (start: 0, seconds: 0.0, opening: Shot.Opening.start, confidence: Float(1))

    public init(threshold: Float) { self.threshold = threshold }

    public func add(_ frame: ScoredFrame, steps: [FrameStep]) {
        if frame.probability > threshold {
            if run.isEmpty { runOpensAfter = lastSampled }
            run.append(frame)
        } else {
            if !run.isEmpty { closeTransition(steps: steps) }
            members.append((frame.frame.index, frame.frame.seconds, frame.frame.sharpness, frame.encoded.global))
        }
        lastSampled = frame.frame.index
    }

    /// Ends the last shot at the end of the video (`steps` holds every decoded frame).
    public func finish(steps: [FrameStep]) -> [Shot] {
        if !run.isEmpty { closeTransition(steps: steps) }
        if let last = steps.last { closeShot(end: steps.count, endSeconds: last.seconds + frameDuration(steps)) }
        return shots
    }

    private func frameDuration(_ steps: [FrameStep]) -> Double {
        steps.count > 1 ? (steps[steps.count - 1].seconds - steps[0].seconds) / Double(steps.count - 1) : 0
    }

    private func closeTransition(steps: [FrameStep]) {
        let span = (runOpensAfter + 1)...run.last!.frame.index
        let (boundary, opening) = Self.refine(span, steps: steps)
        let confidence = run.map(\.probability).max()!
        if boundary > current.start {
            // Frames of the run before the boundary still belong to the closing shot.
            for f in run where f.frame.index < boundary {
                members.append((f.frame.index, f.frame.seconds, f.frame.sharpness, f.encoded.global))
            }
            closeShot(end: boundary, endSeconds: steps[boundary].seconds)
            current = (boundary, steps[boundary].seconds, opening, confidence)
        }
        run = []
    }

    /// The transition's first frame of the new shot within `span` of decoded frames.
    static func refine(_ span: ClosedRange<Int>, steps: [FrameStep]) -> (Int, Shot.Opening) {
        let values = span.map { steps[$0].step }
        guard values.count > 1 else { return (span.lowerBound, .cut) }
        let largest = values.indices.max { values[$0] < values[$1] }!
        let sorted = values.sorted(), median = sorted[sorted.count / 2]
        let others = values.enumerated().filter { $0.offset != largest }.map(\.element).max() ?? 0
        if values[largest] > 8, values[largest] > 2.5 * max(median, 1), values[largest] > 1.8 * others {
            return (span.lowerBound + largest, .cut)
        }
        return ((span.lowerBound + span.upperBound + 1) / 2, .gradual)
    }

    private func closeShot(end: Int, endSeconds: Double) {
        guard end > current.start else { return }
        let width = members.first?.embedding.count ?? 0
        var mean = [Float](repeating: 0, count: width)
        for m in members { for i in 0..<width { mean[i] += m.embedding[i] / Float(members.count) } }
        let sharpest = members.map(\.sharpness).max() ?? 0
        let best = members.max { score($0, mean, sharpest) < score($1, mean, sharpest) }
        let keyframe = best.map { ($0.index, $0.seconds) } ?? ((current.start + end) / 2, (current.seconds + endSeconds) / 2)
        shots.append(Shot(number: shots.count + 1, startFrame: current.start, endFrame: end, startSeconds: current.seconds,
                          endSeconds: endSeconds, opening: current.opening, confidence: current.confidence,
                          keyframe: keyframe.0, keyframeSeconds: keyframe.1, embedding: mean))
        members = []
    }

    /// A keyframe is representative of its shot and sharp.
    private func score(_ m: (index: Int, seconds: Double, sharpness: Float, embedding: [Float]), _ mean: [Float], _ sharpest: Float) -> Float {
        cosine(m.embedding, mean) + 0.3 * (sharpest > 0 ? m.sharpness / sharpest : 0)
    }
}
