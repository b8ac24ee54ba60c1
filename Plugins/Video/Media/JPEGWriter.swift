import CFFmpeg
import Foundation
import SequoiaNN

/// RGB images to JPEG files with libavcodec's MJPEG encoder (full-range 4:2:0), written atomically.
public enum JPEGWriter {
    /// JPEG bytes of `image`; `quality` is the encoder's q scale, 2 (best) to 31.
    public static func encode(_ image: RGBImage, quality: Int = 3) throws -> Data {
        guard let encoder = avcodec_find_encoder(AV_CODEC_ID_MJPEG) else { throw MediaError("jpeg", "this FFmpeg has no MJPEG encoder") }
        var codec = avcodec_alloc_context3(encoder)
        var frame = av_frame_alloc(), packet = av_packet_alloc()
        defer { avcodec_free_context(&codec); av_frame_free(&frame); av_packet_free(&packet) }
        guard let codec, let frame, let packet else { throw MediaError("jpeg", "out of memory") }
        codec.pointee.width = Int32(image.width)
        codec.pointee.height = Int32(image.height)
        codec.pointee.pix_fmt = AV_PIX_FMT_YUVJ420P
        codec.pointee.time_base = AVRational(num: 1, den: 25)
        codec.pointee.flags |= AV_CODEC_FLAG_QSCALE
        var status = avcodec_open2(codec, encoder, nil)
        guard status >= 0 else { throw MediaError("jpeg", "cannot open the MJPEG encoder (\(MediaError.text(status)))") }

        frame.pointee.width = codec.pointee.width
        frame.pointee.height = codec.pointee.height
        frame.pointee.format = AV_PIX_FMT_YUVJ420P.rawValue
        frame.pointee.quality = Int32(quality) * FF_QP2LAMBDA
        guard av_frame_get_buffer(frame, 0) >= 0 else { throw MediaError("jpeg", "out of memory") }
        let converter = sws_getContext(Int32(image.width), Int32(image.height), AV_PIX_FMT_RGB24, Int32(image.width), Int32(image.height),
                                       AV_PIX_FMT_YUVJ420P, Int32(SWS_BILINEAR), nil, nil, nil)
        defer { sws_freeContext(converter) }
        image.pixels.withUnsafeBufferPointer { rgb in
            var source: [UnsafePointer<UInt8>?] = [rgb.baseAddress, nil, nil, nil]
            var sourceStride: [Int32] = [Int32(image.width * 3), 0, 0, 0]
            withUnsafeMutablePointer(to: &frame.pointee.data) { planes in
                withUnsafeMutablePointer(to: &frame.pointee.linesize) { strides in
                    planes.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { dst in
                        strides.withMemoryRebound(to: Int32.self, capacity: 8) { dstStride in
                            _ = sws_scale(converter, &source, &sourceStride, 0, Int32(image.height), dst, dstStride)
                        }
                    }
                }
            }
        }
        status = avcodec_send_frame(codec, frame)
        guard status >= 0 else { throw MediaError("jpeg", "cannot encode (\(MediaError.text(status)))") }
        status = avcodec_receive_packet(codec, packet)
        guard status >= 0, let data = packet.pointee.data else { throw MediaError("jpeg", "cannot encode (\(MediaError.text(status)))") }
        return Data(bytes: data, count: Int(packet.pointee.size))
    }

    public static func write(_ image: RGBImage, to url: URL, quality: Int = 3) throws {
        let data: Data
        do { data = try encode(image, quality: quality) } catch let error as MediaError {
            throw MediaError(url.path, error.description)
        }
        try AtomicFile.write(data, to: url)
    }
}
