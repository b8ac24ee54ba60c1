import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN

/// How a video model sees frames: the train config's `video` section, saved beside the model as
/// `video.json`, so summarize reads frames exactly as training did.
public struct VideoSettings: Codable, Equatable {
    public static let file = "video.json"

    /// Side of the square the frame encoder reads (MobileNetV2 was trained at 224; 112 is 4x faster).
    public var inputSize = 112
    /// Frames per second the model sees.
    public var fps = 5.0
    /// VCWE's progressive pooling of each frame's feature map.
    public var pooling = ProgressivePooling(groupSize: 4, highStride: 2, lowStride: 4)
    /// Sampled frames a causal backbone reads past a frame before deciding on it (0 for bidirectional ones).
    public var delay = 4
    /// Sampled frames per training window: the trained visual context.
    public var trainedFrames = 64
    /// Boundary probability above which a frame is in a transition.
    public var threshold = 0.5

    enum CodingKeys: String, CodingKey {
        case inputSize = "input_size", fps, pooling, delay, trainedFrames = "trained_frames", threshold
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&inputSize, .inputSize)
        try c.fill(&fps, .fps)
        try c.fill(&pooling, .pooling)
        try c.fill(&delay, .delay)
        try c.fill(&trainedFrames, .trainedFrames)
        try c.fill(&threshold, .threshold)
        guard inputSize >= 32 else { throw c.invalid("input_size must be at least 32, got \(inputSize)") }
        guard fps > 0 else { throw c.invalid("fps must be positive, got \(fps)") }
        guard delay >= 0 else { throw c.invalid("delay must be at least 0, got \(delay)") }
        guard trainedFrames > delay + 1 else { throw c.invalid("trained_frames must exceed delay + 1, got \(trainedFrames)") }
        guard threshold > 0, threshold < 1 else { throw c.invalid("threshold must be in (0, 1), got \(threshold)") }
    }

    /// The encoder's feature grid side at `inputSize` (MobileNetV2 downsamples by 32, rounding up).
    public var gridSide: Int { (inputSize + 31) / 32 }

    public static func read(from directory: URL) throws -> VideoSettings {
        let url = directory.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandError("\(url.path): cannot read (is \(directory.path) a video model folder?)")
        }
        do { return try JSONDecoder().decode(VideoSettings.self, from: data) } catch {
            throw CommandError("\(url.path): \(ModelConfigCoding.describe(error))")
        }
    }

    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: directory.appendingPathComponent(Self.file))
    }
}
