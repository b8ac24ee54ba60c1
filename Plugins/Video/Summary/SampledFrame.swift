/// A sampled frame on its way to the model: where it is, its pixels at the encoder's size, its
/// cues and its sharpness (for choosing keyframes).
public struct SampledFrame {
    public let index: Int
    public let seconds: Double
    public let image: RGBImage
    public let cues: FrameCues
    public let sharpness: Float
}

/// A decoded frame's place and its change from the frame before (for refining boundaries).
public struct FrameStep {
    public let index: Int32
    public let seconds: Double
    public let step: Float
}

extension RGBImage {
    /// Variance of the Laplacian of the grey image: high for sharp frames, low for blurred or flat ones.
    public var sharpness: Float {
        guard width > 2, height > 2 else { return 0 }
        var grey = [Float](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            grey[i] = 0.299 * Float(pixels[3 * i]) + 0.587 * Float(pixels[3 * i + 1]) + 0.114 * Float(pixels[3 * i + 2])
        }
        var sum: Float = 0, squares: Float = 0
        for y in 1..<(height - 1) {
            for x in 1..<(width - 1) {
                let i = y * width + x
                let l = grey[i - 1] + grey[i + 1] + grey[i - width] + grey[i + width] - 4 * grey[i]
                sum += l
                squares += l * l
            }
        }
        let n = Float((width - 2) * (height - 2))
        return squares / n - (sum / n) * (sum / n)
    }
}
