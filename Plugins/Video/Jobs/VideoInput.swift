import Foundation
import SequoiaKit
import SequoiaModels

/// The options that say which frames a job reads, shared by summarize and embed.
enum VideoInputOptions {
    static let video = Option("video", "FILE", help: "a video file (any container and codec FFmpeg decodes)")
    static let frames = Option("frames", "DIR", help: "a folder of extracted .jpg/.png frames, in the order of their numbered names")
    static let fps = Option.number("fps", "R", help: "with --video, frames sampled per second (default: the model's rate); "
                                   + "with --frames, the rate the frames were extracted at (default 25)", above: 0)
    static let every = Option.int("every", "K", help: "sample every K-th decoded frame instead of a rate", atLeast: 1)
    static let model = Option("model", "DIR", help: "video model folder (default: the bundled model trained on the project's clips)")
    static let window = Option.int("window", "N", help: "sampled frames per model window (default: the trained window); "
                                   + "longer windows extend the context", atLeast: 8)
    static let contextExtension = Option("context-extension", "M", help: "past the trained window: visual (VCWE, default), interpolation or extrapolation",
                                         expected: "visual, interpolation or extrapolation") { ContextExtension(rawValue: $0) }

    static let all: [any CommandOption] = [video, frames, fps, every, model, window, contextExtension]

    /// The source, the model and its encoder, and the sampling, from the options.
    static func open(_ options: ParsedOptions) throws -> (FrameSource, BoundaryModel, FrameEncoder, FrameSampling, window: Int, modelName: String) {
        let video = try options[video], frames = try options[frames]
        guard (video == nil) != (frames == nil) else { throw UsageError("give exactly one of --video FILE and --frames DIR") }
        let modelFolder = try options[model].map { URL(fileURLWithPath: $0) } ?? VideoResources.folder(VideoResources.defaultModelFolder)
        let settings = try VideoSettings.read(from: modelFolder)
        let encoder = try FrameEncoder.bundled(settings: settings)
        let window = try options[window] ?? settings.trainedFrames
        let boundary = try BoundaryModel.load(modelFolder, channels: encoder.channels, contextFrames: window,
                                              method: try options[contextExtension] ?? .visual)
        let rate = try options[fps]
        let source = try openFrameSource(video: video, frames: frames, folderRate: frames != nil ? rate ?? 25 : 25)
        let sampling: FrameSampling = try options[every].map { .everyKth($0) } ?? .perSecond(video != nil ? rate ?? settings.fps : settings.fps)
        let name = try options[model] ?? "bundled default model"
        return (source, boundary, encoder, sampling, window, name)
    }
}
