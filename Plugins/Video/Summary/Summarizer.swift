import Foundation

/// One pass over a video: frames decoded and sampled, encoded in batches, scored by the model in
/// windows, assembled into shots as they are decided; then scenes and the summary.
public struct Summarizer {
    public var model: BoundaryModel
    public var encoder: FrameEncoder
    public var sampling: FrameSampling
    /// Sampled frames per model window.
    public var window: Int
    public var budget: SummaryBudget
    public var sceneSimilarity: Float
    public var modelName: String
    public var showsProgress = true

    public func run(_ source: FrameSource) throws -> VideoSummary {
        let stream = FrameStream(source, sampling: sampling, inputSize: encoder.inputSize, showsProgress: showsProgress)
        let scanner = BoundaryScanner(model: model, window: window)
        let shots = ShotAssembler(threshold: Float(model.settings.threshold))
        let batch = 8 * model.settings.pooling.groupSize
        while true {
            let frames = try stream.next(batch)
            if frames.isEmpty { break }
            let encoded = encoder.encode(frames.map(\.image), cues: frames.map(\.cues))
            for scored in scanner.add(Array(zip(frames, encoded))) { shots.add(scored, steps: stream.steps) }
        }
        for scored in scanner.finish() { shots.add(scored, steps: stream.steps) }
        let found = shots.finish(steps: stream.steps)
        guard !found.isEmpty else { throw MediaError(source.path, "no frame could be read") }
        let seconds = found.last!.endSeconds
        return VideoSummary(source: source.path, frameRate: source.frameRate, frames: stream.decodedFrames, seconds: seconds,
                            sampling: sampling.description, model: modelName, shots: found,
                            scenes: groupScenes(found, similarity: sceneSimilarity), summary: summarize(found, budget: budget))
    }
}
