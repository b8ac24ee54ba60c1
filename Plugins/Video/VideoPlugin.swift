import SequoiaKit

/// Videos as sequences of frame tokens: FFmpeg decoding, a frozen MobileNetV2 frame encoder,
/// VCWE's progressive pooling and visual context extension, and any registered backbone over the
/// tokens with a per-frame transition head, trained on spliced clips of the user's own videos.
public struct VideoPlugin: DomainPlugin {
    public init() {}
    public let name = "video"
    public let summary = "shots, scenes, keyframes and summaries of long videos or frame folders (train, summarize, eval, embed)"
    public var jobs: [Job] { [videoTrainJob, videoSummarizeJob] }
}
