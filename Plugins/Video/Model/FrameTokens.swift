import SequoiaModels

/// Clips of encoded frames laid out as the temporal model's token rows: each frame's fine tokens
/// when it opens a pooling group, its coarse ones otherwise (VCWE's progressive pooling), with
/// the frame's cues and a fine/coarse flag beside every token. Rows are right-padded.
public struct FrameTokens {
    /// Per-token inputs beside the features: the frame's cues, then 1 for a fine token.
    public static let sideCount = FrameCues.count + 1

    public let batch: Int
    public let length: Int
    public let channels: Int
    public var features: [Float]
    public var side: [Float]
    public var lengths: [Int]
    /// For each clip, the last token of each frame (where the model reads that frame out).
    public var lastToken: [[Int]]

    /// `clips[b]` starts a pooling group at its first frame.
    public init(_ clips: [[EncodedFrame]], pooling: ProgressivePooling, channels: Int) {
        let counts = clips.map { clip in
            clip.indices.reduce(0) { $0 + ($1 % pooling.groupSize == 0 ? clip[$1].fine.count : clip[$1].coarse.count) / channels }
        }
        batch = clips.count
        length = counts.max() ?? 0
        self.channels = channels
        features = [Float](repeating: 0, count: batch * length * channels)
        side = [Float](repeating: 0, count: batch * length * Self.sideCount)
        lengths = counts
        lastToken = []
        for (b, clip) in clips.enumerated() {
            var token = 0, last: [Int] = []
            for (f, frame) in clip.enumerated() {
                let opensGroup = f % pooling.groupSize == 0
                let values = opensGroup ? frame.fine : frame.coarse
                for t in 0..<(values.count / channels) {
                    let row = b * length + token
                    features.replaceSubrange(row * channels ..< (row + 1) * channels, with: values[t * channels ..< (t + 1) * channels])
                    side.replaceSubrange(row * Self.sideCount ..< row * Self.sideCount + FrameCues.count, with: frame.cues.values)
                    side[row * Self.sideCount + FrameCues.count] = opensGroup ? 1 : 0
                    token += 1
                }
                last.append(token - 1)
            }
            lastToken.append(last)
        }
    }
}
