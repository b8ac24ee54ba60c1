import CFFmpeg
import Foundation

/// A frame the decoder just produced: its ordinal in presentation order (from the start, or -1
/// after a seek), its presentation time in seconds from the stream's start, and the picture,
/// valid until the file's next call.
public struct DecodedFrame {
    public let index: Int
    public let seconds: Double
    let picture: UnsafePointer<AVFrame>
}

/// The best video stream of any file FFmpeg's libavformat opens (MP4, AVI, MPEG-PS, MKV, WebM,
/// Ogg, a single JPEG or PNG), decoded by libavcodec one frame at a time: memory does not grow
/// with the video's length. Timestamps come from each frame's own presentation time, so
/// variable frame rates are right.
public final class MediaFile {
    public let path: String
    public let width: Int
    public let height: Int
    /// The stream's average frame rate, or its base rate when the container gives no average; 0 when unknown.
    public let frameRate: Double
    /// Frames the container's header declares (MP4 and MKV do; MPEG streams usually do not).
    public let declaredFrames: Int?
    public let durationSeconds: Double?

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private let streamIndex: Int32
    private let timeBase: Double
    private let startTime: Int64
    private var decoded = 0
    private var lastSeconds = -1.0
    private var inputEnded = false
    private var afterSeek = false

    public init(_ path: String, threads: Int = 0) throws {
        self.path = path
        av_log_set_level(AV_LOG_QUIET)
        guard FileManager.default.isReadableFile(atPath: path) else { throw MediaError(path, "no such readable file") }
        var format: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_open_input(&format, path, nil, nil)
        guard status >= 0, let format else { throw MediaError(path, "not a video or image FFmpeg can read (\(MediaError.text(status)))") }
        self.format = format
        status = avformat_find_stream_info(format, nil)
        guard status >= 0 else {
            avformat_close_input(&self.format)
            throw MediaError(path, "cannot read the stream layout (\(MediaError.text(status)))")
        }
        var decoder: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        guard index >= 0, let decoder, let stream = format.pointee.streams[Int(index)] else {
            avformat_close_input(&self.format)
            throw MediaError(path, index == sequoia_AVERROR_DECODER_NOT_FOUND() ? "no decoder for its video stream" : "has no video stream")
        }
        streamIndex = index
        let parameters = stream.pointee.codecpar!
        width = Int(parameters.pointee.width)
        height = Int(parameters.pointee.height)
        let average = stream.pointee.avg_frame_rate, base = stream.pointee.r_frame_rate
        let rate = average.num > 0 && average.den > 0 ? average : base
        frameRate = rate.num > 0 && rate.den > 0 ? Double(rate.num) / Double(rate.den) : 0
        declaredFrames = stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil
        timeBase = Double(stream.pointee.time_base.num) / Double(stream.pointee.time_base.den)
        startTime = stream.pointee.start_time == sequoia_AV_NOPTS_VALUE() ? 0 : stream.pointee.start_time
        durationSeconds = stream.pointee.duration > 0 ? Double(stream.pointee.duration) * timeBase
            : format.pointee.duration > 0 ? Double(format.pointee.duration) / Double(AV_TIME_BASE) : nil

        codec = avcodec_alloc_context3(decoder)
        guard let codec, avcodec_parameters_to_context(codec, parameters) >= 0 else {
            close()
            throw MediaError(path, "cannot set up the \(String(cString: decoder.pointee.name)) decoder")
        }
        codec.pointee.thread_count = Int32(threads)
        status = avcodec_open2(codec, decoder, nil)
        guard status >= 0 else {
            close()
            throw MediaError(path, "cannot open the \(String(cString: decoder.pointee.name)) decoder (\(MediaError.text(status)))")
        }
        guard width > 0, height > 0 else {
            close()
            throw MediaError(path, "its video stream has no picture size")
        }
        packet = av_packet_alloc()
        frame = av_frame_alloc()
    }

    deinit { close() }

    private func close() {
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        avformat_close_input(&format)
    }

    /// Where an error happened, for messages.
    private var position: String {
        decoded == 0 ? "before the first frame" : String(format: "after frame %d (%.3f s)", decoded, lastSeconds)
    }

    /// The next frame in presentation order, or nil at the end. A stream that ends before the
    /// frames its header declares is truncated; a frame the decoder flags as corrupt is an error.
    public func next() throws -> DecodedFrame? {
        guard let codec, let frame, let packet, let format else { return nil }
        while true {
            let status = avcodec_receive_frame(codec, frame)
            if status == 0 { return try accept(frame) }
            if status == sequoia_AVERROR_EOF() {
                if !afterSeek, let declared = declaredFrames, decoded + 2 < declared {
                    throw MediaError(path, "truncated: the stream ends \(position), its header declares \(declared) frames")
                }
                if decoded == 0 && !afterSeek { throw MediaError(path, "its video stream has no decodable frame") }
                return nil
            }
            guard status == sequoia_AVERROR_EAGAIN() else { throw MediaError(path, "cannot decode \(position): \(MediaError.text(status))") }
            guard !inputEnded else { return nil }
            while true {
                let read = av_read_frame(format, packet)
                if read < 0 {
                    guard read == sequoia_AVERROR_EOF() else { throw MediaError(path, "cannot read \(position): \(MediaError.text(read))") }
                    inputEnded = true
                    avcodec_send_packet(codec, nil)
                    break
                }
                defer { av_packet_unref(packet) }
                guard packet.pointee.stream_index == streamIndex else { continue }
                let sent = avcodec_send_packet(codec, packet)
                guard sent >= 0 || sent == sequoia_AVERROR_EAGAIN() else {
                    throw MediaError(path, "corrupt video data \(position): \(MediaError.text(sent))")
                }
                break
            }
        }
    }

    private func accept(_ frame: UnsafeMutablePointer<AVFrame>) throws -> DecodedFrame {
        let pts = frame.pointee.best_effort_timestamp
        let seconds = pts == sequoia_AV_NOPTS_VALUE()
            ? lastSeconds + (frameRate > 0 ? 1 / frameRate : 0.04)
            : Double(pts - startTime) * timeBase
        guard frame.pointee.flags & AV_FRAME_FLAG_CORRUPT == 0, frame.pointee.decode_error_flags == 0 else {
            throw MediaError(path, String(format: "corrupt frame %d (%.3f s)", decoded + 1, seconds))
        }
        let index = afterSeek ? -1 : decoded
        decoded += 1
        lastSeconds = seconds
        return DecodedFrame(index: index, seconds: seconds, picture: UnsafePointer(frame))
    }

    /// The first frame at or after `seconds` (within half a frame), found by seeking to the
    /// keyframe before it and decoding forward; nil past the end.
    public func frame(atSeconds seconds: Double) throws -> DecodedFrame? {
        guard let format, let codec else { return nil }
        let target = Int64((seconds / timeBase).rounded(.down)) + startTime
        let status = av_seek_frame(format, streamIndex, target, AVSEEK_FLAG_BACKWARD)
        guard status >= 0 else { throw MediaError(path, String(format: "cannot seek to %.3f s: %@", seconds, MediaError.text(status))) }
        avcodec_flush_buffers(codec)
        inputEnded = false
        afterSeek = true
        let slack = frameRate > 0 ? 0.5 / frameRate : 0.02
        while let frame = try next() {
            if frame.seconds >= seconds - slack { return frame }
        }
        return nil
    }
}
