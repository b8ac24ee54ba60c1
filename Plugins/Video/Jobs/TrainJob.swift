import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

enum VideoTrainOptions {
    static let config = Option("config", "FILE", help: "JSON with model, training, data and video sections (see configs/video)").required
    static let videos = Option("videos", "DIR|LIST", help: "a folder of videos, or a text file listing one video path a line").required
    static let out = Option("out", "DIR", help: "output folder: config.json, video.json, model.safetensors, checkpoints, metrics").required
}

/// The config's "data" section.
struct VideoTrainData: Decodable {
    var batch = 4
    var positiveWeight = 3.0
    var maxFramesPerVideo = 20_000
    var heldOutClips = 16
    var mix = SplicedClip.Mix()

    enum CodingKeys: String, CodingKey {
        case batch, positiveWeight = "positive_weight", maxFramesPerVideo = "max_frames_per_video", heldOutClips = "held_out_clips", mix = "splice"
    }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&batch, .batch)
        try c.fill(&positiveWeight, .positiveWeight)
        try c.fill(&maxFramesPerVideo, .maxFramesPerVideo)
        try c.fill(&heldOutClips, .heldOutClips)
        try c.fill(&mix, .mix)
        guard batch > 0, positiveWeight > 0, maxFramesPerVideo > 1, heldOutClips >= 0 else {
            throw c.invalid("batch, positive_weight and max_frames_per_video must be positive, held_out_clips at least 0")
        }
        guard mix.cut >= 0, mix.dissolve >= 0, mix.fade >= 0, mix.cut + mix.dissolve + mix.fade > 0,
              mix.minPieceSeconds > 0, mix.maxPieceSeconds >= mix.minPieceSeconds,
              mix.minTransitionSeconds > 0, mix.maxTransitionSeconds >= mix.minTransitionSeconds else {
            throw c.invalid("splice needs non-negative cut/dissolve/fade weights (not all 0) and 0 < min <= max piece and transition seconds")
        }
    }
}

/// Video files named by `--videos`: a folder's files with a video extension, or a list file.
func videoPaths(_ argument: String) throws -> [String] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else { throw CommandError("\(argument): no such file or folder") }
    if isFolder.boolValue {
        let known: Set<String> = ["mp4", "m4v", "mov", "mkv", "webm", "avi", "mpg", "mpeg", "ogv", "ts", "flv", "wmv"]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: argument)) ?? []
        let paths = names.filter { known.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            .map { URL(fileURLWithPath: argument).appendingPathComponent($0).path }
        guard !paths.isEmpty else { throw CommandError("\(argument): holds no video file (\(known.sorted().joined(separator: ", ")))") }
        return paths
    }
    let reader = try LineReader(argument)
    var paths: [String] = []
    while let line = try reader.next({ String(decoding: $0, as: UTF8.self) }) {
        let path = line.trimmingCharacters(in: .whitespaces)
        if path.isEmpty || path.hasPrefix("#") { continue }
        paths.append(path.hasPrefix("/") ? path : URL(fileURLWithPath: argument).deletingLastPathComponent().appendingPathComponent(path).path)
    }
    guard !paths.isEmpty else { throw CommandError("\(argument): lists no video") }
    return paths
}

public let videoTrainJob = Job(
    name: "train",
    summary: "train a transition model on clips spliced from your own unlabelled videos",
    options: [VideoTrainOptions.config, VideoTrainOptions.videos, VideoTrainOptions.out] + TrainingRunOptions.all
) { options in
    let file = try JobConfigFile(contentsOf: URL(fileURLWithPath: try options[VideoTrainOptions.config]))
    var modelConfig = try file.model()
    var training = try file.training()
    let data = try file.section("data", default: VideoTrainData())
    let settings = try file.section("video", default: VideoSettings())
    if let steps = try options[TrainingRunOptions.steps] { training.steps = steps }

    let encoder = try FrameEncoder.bundled(settings: settings)
    modelConfig.vocabSize = 1
    let boundary: BoundaryModel
    do {
        var rng = RandomGenerator(seed: training.seed)
        let model = try ModelRegistry.shared.build(modelConfig, seed: training.seed)
        let side = settings.gridSide
        try model.backbone.checkLength(settings.pooling.tokenCount(frames: settings.trainedFrames, height: side, width: side),
                                       "video.trained_frames \(settings.trainedFrames) as tokens")
        boundary = BoundaryModel(model: model, settings: settings, channels: encoder.channels, rng: &rng)
    } catch {
        throw file.error("model: \(error)")
    }

    let paths = try videoPaths(try options[VideoTrainOptions.videos])
    var videos: [SourceVideo] = []
    for path in paths {
        let video = try SourceVideo(path, encoder: encoder, maxFrames: data.maxFramesPerVideo)
        print("\(path): \(video.images.count) frames, \(video.shots.count) shot(s)")
        videos.append(video)
    }
    guard videos.contains(where: { $0.shots.contains { $0.count >= 2 } }) else { throw CommandError("no training video has a shot of two frames") }
    let batches = SplicedBatches(videos: videos, encoder: encoder, settings: settings, mix: data.mix, batchSize: data.batch,
                                 positiveWeight: Float(data.positiveWeight))
    var heldOutRng = RandomGenerator(seed: training.seed ^ 0x5EED)
    let heldOut = (0..<((data.heldOutClips + data.batch - 1) / data.batch)).map { _ in batches.batch(rng: &heldOutRng) }

    let out = URL(fileURLWithPath: try options[VideoTrainOptions.out])
    let trainer = try Trainer(config: training, model: boundary, data: batches, output: out) { batch, _ in
        binaryCrossEntropy(logits: boundary.logits(batch.tokens, frames: batch.frames), targets: batch.targets, weights: batch.weights)
    }
    trainer.countUnits = ("frames", { $0.tokens.batch * $0.frames })
    trainer.countTokens = { $0.tokens.lengths.reduce(0, +) }
    trainer.writeModel = { folder in try boundary.write(to: folder) }
    trainer.evaluate = { _ in
        boundary.inferring { TransitionScore.heldOut(boundary, heldOut).metrics }
    }
    try TrainingRunOptions.apply(options, to: trainer)
    print("training \(boundary.parameterCount) parameters on \(videos.count) video(s), clips of \(settings.trainedFrames) frames at \(settings.fps) frames/s")
    print(TrainingRunOptions.describe(try trainer.run(), output: out))
}
