import SequoiaTensor

/// An image network that turns frames into feature maps: what a video (or image) plugin reaches a
/// pretrained encoder through, whichever it is.
public protocol ImageEncoder: AnyObject {
    /// The side of the square input the weights were trained at.
    var inputSize: Int { get }
    /// Channels of the feature map.
    var featureChannels: Int { get }
    /// Per-channel mean and standard deviation of the RGB input in [0, 1] (ImageNet's, usually).
    var normalization: (mean: [Float], std: [Float]) { get }
    /// Normalised images [B, H, W, 3] (channels last) -> feature maps [B, h, w, featureChannels].
    func featureMap(_ images: Tensor) -> Tensor
}

extension ImageEncoder {
    /// RGB bytes of `count` images of `height` x `width`, row-major with channels last, scaled to
    /// [0, 1] and normalised: the encoder's input [count, height, width, 3].
    public func normalized(rgb: UnsafePointer<UInt8>, count: Int, height: Int, width: Int) -> Tensor {
        let out = Tensor(uninitialized: [count, height, width, 3])
        let (mean, std) = normalization
        let scale = (0..<3).map { 1 / (255 * std[$0]) }, shift = (0..<3).map { -mean[$0] / std[$0] }
        let dst = out.pointer, pixels = count * height * width
        Parallel.forChunks(pixels, grain: 16384) { range in
            for p in range {
                for c in 0..<3 { dst[p * 3 + c] = Float(rgb[p * 3 + c]) * scale[c] + shift[c] }
            }
        }
        return out
    }
}
