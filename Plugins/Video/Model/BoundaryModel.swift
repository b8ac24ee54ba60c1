import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// The video model: frame tokens projected to the backbone's width (plus their cues), any
/// registered backbone over them, and a per-frame boundary head. A frame is read out at the last
/// token of the frame `delay` sampled frames later, so a causal backbone has seen what follows a
/// frame before it decides whether a transition runs through it.
///
/// Checkpoint names: the language model's own (its unused one-token embedding and head stay so
/// the folder loads like any model), plus `token_projection.*`, `cue_projection.*`, `boundary_head.*`.
public final class BoundaryModel: Module {
    @CheckpointKey("") public private(set) var model: any LanguageModel
    @CheckpointKey("token_projection") public private(set) var tokenProjection: Linear
    @CheckpointKey("cue_projection") public private(set) var cueProjection: Linear
    @CheckpointKey("boundary_head") public private(set) var head: Linear
    public let settings: VideoSettings
    public let channels: Int

    public init(model: any LanguageModel, settings: VideoSettings, channels: Int, rng: inout RandomGenerator) {
        let width = model.backbone.hiddenSize
        self.settings = settings
        self.channels = channels
        super.init()
        self.model = model
        tokenProjection = Linear(channels, width, rng: &rng)
        cueProjection = Linear(FrameTokens.sideCount, width, rng: &rng)
        head = Linear(width, 1, rng: &rng)
    }

    /// A folder written by `write(to:)` (or the bundled default model), to run on windows of
    /// `contextFrames` sampled frames: past the trained window, positions are extended by `method`
    /// (VCWE's visual rescaling by default; families without positions ignore it).
    public static func load(_ directory: URL, channels: Int, contextFrames: Int? = nil,
                            method: ContextExtension = .visual) throws -> BoundaryModel {
        let settings = try VideoSettings.read(from: directory)
        let model: any LanguageModel
        do {
            var config = try ModelDirectory.config(directory)
            if let contextFrames, contextFrames > settings.trainedFrames {
                let side = settings.gridSide
                config.extendContext(method, trainedWindow: settings.pooling.tokenCount(frames: settings.trainedFrames, height: side, width: side))
            }
            model = try ModelRegistry.shared.build(config)
        } catch let error as ModelDirectoryError {
            throw error
        } catch {
            throw ModelDirectoryError(description: "\(directory.appendingPathComponent(ModelDirectory.configFile).path): \(error)")
        }
        var rng = RandomGenerator(seed: 0)
        let boundary = BoundaryModel(model: model, settings: settings, channels: channels, rng: &rng)
        try ModelDirectory.loadWeights(into: boundary, from: directory, aliases: model.tiedAliases)
        return boundary
    }

    public func write(to directory: URL) throws {
        try ModelDirectory.write(model, weights: self, to: directory)
        try settings.write(to: directory)
    }

    /// Sampled frames the backbone reads past a frame: none for a bidirectional backbone.
    public var delay: Int { model.backbone.isCausal ? settings.delay : 0 }

    /// Boundary logits [B, F] for clips of F frames each (shorter clips are padded; their extra
    /// logits are meaningless).
    public func logits(_ tokens: FrameTokens, frames: Int) -> Tensor {
        let (b, t, c) = (tokens.batch, tokens.length, channels)
        let x = tokenProjection(Tensor(shape: [b, t, c], scalars: tokens.features))
            + cueProjection(Tensor(shape: [b, t, FrameTokens.sideCount], scalars: tokens.side))
        let hidden = model.backbone(embeddings: x, lengths: tokens.lengths)
        var rows = [Int32](repeating: 0, count: b * frames)
        for clip in 0..<b {
            let last = tokens.lastToken[clip]
            for f in 0..<frames where !last.isEmpty {
                rows[clip * frames + f] = Int32(clip * t + last[min(f + delay, last.count - 1)])
            }
        }
        let readout = embedding(IndexTensor(shape: [b, frames], scalars: rows), weight: hidden.reshaped([b * t, hidden.shape[2]]))
        return head(readout).reshaped([b, frames])
    }
}
