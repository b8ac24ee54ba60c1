import Foundation
import SequoiaKit

/// A training video held in memory at the encoder's size: every decoded frame's image, thumbnail
/// and time, its encoded tokens, and its shots (hard cuts found from thumbnail steps), so pieces
/// for splicing are cut within one shot.
public final class SourceVideo {
    public let path: String
    public let frameRate: Double
    public var images: [RGBImage] = []
    public var thumbnails: [RGBImage] = []
    public var encoded: [EncodedFrame] = []
    /// Frame ranges of the shots.
    public private(set) var shots: [Range<Int>] = []

    /// Decodes `path` (at most `maxFrames` frames) and encodes every frame.
    public init(_ path: String, encoder: FrameEncoder, maxFrames: Int) throws {
        let file = try VideoFileSource(path)
        self.path = path
        frameRate = file.frameRate
        let resize = FrameScaler(width: encoder.inputSize, height: encoder.inputSize)
        let thumbnail = FrameScaler(width: FrameCues.thumbnailSide, height: FrameCues.thumbnailSide, area: true)
        var steps: [Float] = []
        while let frame = try file.next() {
            guard images.count < maxFrames else {
                throw CommandError("\(path): longer than data.max_frames_per_video (\(maxFrames)); cut it or raise the limit")
            }
            images.append(resize.rgb(frame))
            thumbnails.append(thumbnail.rgb(frame))
            steps.append(thumbnails.count > 1 ? thumbnails[thumbnails.count - 1].meanAbsoluteDifference(thumbnails[thumbnails.count - 2]) : 0)
        }
        let blank = FrameCues(values: [Float](repeating: 0, count: FrameCues.count))
        for start in stride(from: 0, to: images.count, by: 32) {
            let part = Array(images[start..<min(start + 32, images.count)])
            encoded += encoder.encode(part, cues: Array(repeating: blank, count: part.count))
        }
        shots = Self.shots(steps: steps)
    }

    /// A hard cut is a step far above the video's typical one.
    static func shots(steps: [Float]) -> [Range<Int>] {
        guard !steps.isEmpty else { return [] }
        let median = steps.sorted()[steps.count / 2]
        let cuts = steps.indices.filter { $0 > 0 && steps[$0] > max(20, 5 * median) }
        let bounds = [0] + cuts + [steps.count]
        return zip(bounds, bounds.dropFirst()).map { $0..<$1 }.filter { !$0.isEmpty }
    }
}
