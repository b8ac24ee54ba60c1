import CFFmpeg

/// A media file that cannot be read as what it should be: one line naming the file and, where
/// known, the frame and timestamp.
public struct MediaError: Error, CustomStringConvertible {
    public let description: String

    public init(_ path: String, _ problem: String) { description = "\(path): \(problem)" }

    /// FFmpeg's message for an error code.
    static func text(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        sequoia_av_error_string(code, &buffer, buffer.count)
        return String(cString: buffer)
    }
}
