/// One sampled frame as the temporal model reads it: its encoder feature map pooled at both of
/// progressive pooling's strides (which one a frame uses depends on its place in its group),
/// the map's mean (the frame's embedding, for scenes and keyframes), and its pixel cues.
public struct EncodedFrame {
    /// Tokens at the fine stride s_h, row-major cells, `channels` floats each.
    public var fine: [Float]
    /// Tokens at the coarse stride s_l.
    public var coarse: [Float]
    /// The mean of the feature map.
    public var global: [Float]
    public var cues: FrameCues
}
