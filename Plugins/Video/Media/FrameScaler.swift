import CFFmpeg

/// libswscale from any decoded picture to RGB24 of a fixed size. Its context is cached and
/// rebuilt only when the source's size or pixel format changes.
public final class FrameScaler {
    public let width: Int
    public let height: Int
    private let flags: Int32
    private var context: OpaquePointer?

    /// `area` averages (for thumbnails much smaller than the source); otherwise bilinear, the
    /// filter the encoder's weights were trained with.
    public init(width: Int, height: Int, area: Bool = false) {
        precondition(width > 0 && height > 0, "a scaler needs a positive size")
        self.width = width
        self.height = height
        flags = area ? Int32(SWS_AREA) : Int32(SWS_BILINEAR)
    }

    deinit { sws_freeContext(context) }

    public func rgb(_ frame: DecodedFrame) -> RGBImage {
        var image = RGBImage(width: width, height: height)
        scale(frame.picture, into: &image.pixels)
        return image
    }

    func scale(_ picture: UnsafePointer<AVFrame>, into pixels: inout [UInt8]) {
        let source = picture.pointee
        context = sws_getCachedContext(context, source.width, source.height, AVPixelFormat(rawValue: source.format),
                                       Int32(width), Int32(height), AV_PIX_FMT_RGB24, flags, nil, nil, nil)
        precondition(context != nil, "swscale cannot convert pixel format \(source.format)")
        var planes = source.data, strides = source.linesize
        pixels.withUnsafeMutableBufferPointer { out in
            var destination: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress, nil, nil, nil]
            var destinationStride: [Int32] = [Int32(width * 3), 0, 0, 0]
            withUnsafePointer(to: &planes) { planePointer in
                withUnsafePointer(to: &strides) { stridePointer in
                    planePointer.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                        stridePointer.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                            _ = sws_scale(context, src, srcStride, 0, source.height, &destination, &destinationStride)
                        }
                    }
                }
            }
        }
    }
}
