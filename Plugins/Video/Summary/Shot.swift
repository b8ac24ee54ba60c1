/// A shot: decoded frames [startFrame, endFrame), opened by a transition of `confidence`
/// (1 for the first shot), with its keyframe and its mean frame embedding.
public struct Shot {
    public enum Opening: String { case start, cut, gradual }

    public var number: Int
    public var startFrame: Int
    public var endFrame: Int
    public var startSeconds: Double
    public var endSeconds: Double
    public var opening: Opening
    public var confidence: Float
    public var keyframe: Int
    public var keyframeSeconds: Double
    public var embedding: [Float]

    public var frames: Int { endFrame - startFrame }
    public var seconds: Double { endSeconds - startSeconds }
}

/// Cosine similarity of two vectors.
func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0, na: Float = 0, nb: Float = 0
    for i in a.indices {
        dot += a[i] * b[i]
        na += a[i] * a[i]
        nb += b[i] * b[i]
    }
    return na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : 0
}
