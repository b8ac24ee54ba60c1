import Foundation
import SequoiaNN
import SequoiaTensor

/// A sampled frame once the model has decided on it.
public struct ScoredFrame {
    public let frame: SampledFrame
    public let encoded: EncodedFrame
    /// Probability that a transition runs through this frame (since the previous sampled one).
    public let probability: Float
}

/// The model over a video of any length in overlapping windows of `window` sampled frames, half
/// a window apart: each frame is scored by the window in which it sits in the middle half (the
/// first and last windows also keep their outer quarter), so every decision has context on both
/// sides and memory stays that of one window. Windows start at multiples of the pooling group,
/// so progressive pooling sees the same groups as in one pass.
public final class BoundaryScanner {
    public let model: BoundaryModel
    public let window: Int
    private var buffer: [(SampledFrame, EncodedFrame)] = []
    private var isFirst = true

    public init(model: BoundaryModel, window: Int) {
        let group = model.settings.pooling.groupSize
        precondition(window >= 4 * group, "a scanning window needs at least four pooling groups")
        self.model = model
        self.window = window / (2 * group) * (2 * group)
    }

    /// Adds frames; returns those now decided, in order.
    public func add(_ frames: [(SampledFrame, EncodedFrame)]) -> [ScoredFrame] {
        buffer += frames
        var decided: [ScoredFrame] = []
        while buffer.count >= window { decided += run(final: false) }
        return decided
    }

    /// Decides the frames still waiting (at the end of the video).
    public func finish() -> [ScoredFrame] { buffer.isEmpty ? [] : run(final: true) }

    private func run(final: Bool) -> [ScoredFrame] {
        let count = min(window, buffer.count)
        let clip = Array(buffer[0..<count])
        let tokens = FrameTokens([clip.map(\.1)], pooling: model.settings.pooling, channels: model.channels)
        let logits = model.inferring { model.logits(tokens, frames: count) }
        let quarter = window / 4
        let from = isFirst ? 0 : quarter, to = final ? count : count - quarter
        let decided = (from..<max(from, to)).map { i in
            ScoredFrame(frame: clip[i].0, encoded: clip[i].1, probability: 1 / (1 + exp(-logits.pointer[i])))
        }
        isFirst = false
        if final { buffer = [] } else { buffer.removeFirst(window / 2) }
        return decided
    }
}
