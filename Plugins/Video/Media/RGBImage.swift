/// An 8-bit RGB image, rows top to bottom, channels last.
public struct RGBImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "RGB image \(width)x\(height) needs \(width * height * 3) bytes")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    public init(width: Int, height: Int, filledWith value: UInt8 = 0) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: value, count: width * height * 3))
    }

    /// (1 - t) self + t other, pixel by pixel (a dissolve's frame); both the same size.
    public func blended(with other: RGBImage, _ t: Float) -> RGBImage {
        precondition(width == other.width && height == other.height, "blending images of different sizes")
        var out = self
        for i in pixels.indices {
            out.pixels[i] = UInt8(min(255, max(0, ((1 - t) * Float(pixels[i]) + t * Float(other.pixels[i])).rounded())))
        }
        return out
    }

    /// self scaled by `gain` in [0, 1] (a fade's frame, towards black).
    public func faded(_ gain: Float) -> RGBImage {
        var out = self
        for i in pixels.indices { out.pixels[i] = UInt8((gain * Float(pixels[i])).rounded()) }
        return out
    }

    /// Mean absolute difference per channel value, in [0, 255].
    public func meanAbsoluteDifference(_ other: RGBImage) -> Float {
        precondition(pixels.count == other.pixels.count, "comparing images of different sizes")
        var total = 0
        for i in pixels.indices { total += abs(Int(pixels[i]) - Int(other.pixels[i])) }
        return Float(total) / Float(max(1, pixels.count))
    }
}
