import SequoiaTensor

/// VCWE's progressive pooling (Wei and Chen 2024, Eq. 6-9): frames in groups of `groupSize` K; the
/// first frame of each group keeps a fine grid, pooled with stride `highStride` (s_h), the other K-1
/// a coarse one, pooled with stride `lowStride` (s_l). Tokens stay in time order, each frame's cells
/// row-major. Pooling averages each stride x stride cell; cells at the grid's edge average what they
/// hold, so nothing is dropped (a stride as large as the grid gives one token, the frame's mean).
///
/// The paper uses K = 4, s_h = 2, s_l = 8 on a 27x27 grid; on MobileNetV2's 7x7 map at 224 px the
/// defaults K = 4, s_h = 2, s_l = 7 give 16 + 3 tokens per group of four frames where uniform s_h
/// pooling gives 64. K = 1 (or s_l = s_h) is uniform pooling.
public struct ProgressivePooling: Equatable, Sendable, Codable {
    public var groupSize: Int
    public var highStride: Int
    public var lowStride: Int

    public init(groupSize: Int = 4, highStride: Int = 2, lowStride: Int = 7) {
        precondition(groupSize >= 1 && highStride >= 1 && lowStride >= 1, "progressive pooling needs K, s_h and s_l >= 1")
        self.groupSize = groupSize
        self.highStride = highStride
        self.lowStride = lowStride
    }

    enum CodingKeys: String, CodingKey { case groupSize = "group_size", highStride = "high_stride", lowStride = "low_stride" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let values = try [CodingKeys.groupSize, .highStride, .lowStride].map { try c.decode(Int.self, forKey: $0) }
        guard values.allSatisfy({ $0 >= 1 }) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(codingPath: c.codingPath,
                                                                    debugDescription: "group_size, high_stride and low_stride must be at least 1, got \(values)"))
        }
        self.init(groupSize: values[0], highStride: values[1], lowStride: values[2])
    }

    /// The stride of frame `index` (counted from the first frame a pooling run sees).
    public func stride(ofFrame index: Int) -> Int { index % groupSize == 0 ? highStride : lowStride }

    /// Tokens of one frame of a height x width grid pooled with `stride`.
    public static func cells(_ height: Int, _ width: Int, stride: Int) -> Int {
        ((height + stride - 1) / stride) * ((width + stride - 1) / stride)
    }

    /// Tokens `frames` frames of a height x width grid become.
    public func tokenCount(frames: Int, height: Int, width: Int) -> Int {
        (0..<frames).reduce(0) { $0 + Self.cells(height, width, stride: stride(ofFrame: $1)) }
    }

    /// Feature maps [F, h, w, C] (time order) -> tokens [N, C], with the frame each token belongs to.
    /// Frozen features: no gradient is recorded.
    public func callAsFunction(_ maps: Tensor) -> (tokens: Tensor, frameOfToken: [Int]) {
        precondition(maps.rank == 4, "progressive pooling takes feature maps [F, h, w, C], got \(maps.shape)")
        let (frames, height, width, channels) = (maps.shape[0], maps.shape[1], maps.shape[2], maps.shape[3])
        var frameOfToken: [Int] = []
        var starts: [Int] = []
        for f in 0..<frames {
            starts.append(frameOfToken.count)
            frameOfToken += Array(repeating: f, count: Self.cells(height, width, stride: stride(ofFrame: f)))
        }
        let tokens = Tensor(uninitialized: [frameOfToken.count, channels])
        let src = maps.pointer, dst = tokens.pointer
        Parallel.forChunks(frames, grain: 1) { range in
            for f in range {
                let s = stride(ofFrame: f), columns = (width + s - 1) / s
                let plane = src + f * height * width * channels
                var token = starts[f]
                for cellRow in 0..<((height + s - 1) / s) {
                    for cellColumn in 0..<columns {
                        let out = dst + token * channels
                        out.update(repeating: 0, count: channels)
                        let rows = (cellRow * s)..<min(height, cellRow * s + s), cols = (cellColumn * s)..<min(width, cellColumn * s + s)
                        for y in rows {
                            for x in cols {
                                let pixel = plane + (y * width + x) * channels
                                for c in 0..<channels { out[c] += pixel[c] }
                            }
                        }
                        let scale = 1 / Float(rows.count * cols.count)
                        for c in 0..<channels { out[c] *= scale }
                        token += 1
                    }
                }
            }
        }
        return (tokens, frameOfToken)
    }
}
