import Foundation

/// Where a video's frames come from: a video file, or a folder of extracted images. Frames come in
/// presentation order, one at a time, so memory stays flat in the video's length.
public protocol FrameSource: AnyObject {
    /// The file or folder, for messages.
    var path: String { get }
    /// Frames per second of the source.
    var frameRate: Double { get }
    var width: Int { get }
    var height: Int { get }
    /// How many frames the source holds, when known before reading it (for progress bars).
    var expectedFrames: Int? { get }
    /// The next frame, or nil at the end; the picture is valid until the next call.
    func next() throws -> DecodedFrame?
    /// A frame read earlier, at full resolution (keyframes, contact sheets).
    func reread(index: Int, seconds: Double) throws -> RGBImage
}

/// A video file: sequential decoding, and a second decoder that seeks for rereads.
public final class VideoFileSource: FrameSource {
    public let file: MediaFile
    private lazy var seeker: MediaFile? = try? MediaFile(file.path)

    public init(_ path: String) throws { file = try MediaFile(path) }

    public var path: String { file.path }
    public var frameRate: Double { file.frameRate > 0 ? file.frameRate : 25 }
    public var width: Int { file.width }
    public var height: Int { file.height }
    public var expectedFrames: Int? {
        file.declaredFrames ?? file.durationSeconds.map { Int(($0 * frameRate).rounded()) }
    }
    public func next() throws -> DecodedFrame? { try file.next() }

    public func reread(index: Int, seconds: Double) throws -> RGBImage {
        guard let seeker, let frame = try seeker.frame(atSeconds: seconds) else {
            throw MediaError(path, String(format: "cannot reread frame %d at %.3f s", index, seconds))
        }
        return FrameScaler(width: width, height: height).rgb(frame)
    }
}

/// A folder of JPEG or PNG frames (`ffmpeg -i in.mp4 frames/%06d.jpg`), decoded by FFmpeg's image
/// decoders, in the numeric order of their names, at `frameRate` frames per second. Every frame
/// must have the first one's size, and numbered names must not skip a number.
public final class FrameFolderSource: FrameSource {
    public static let extensions: Set<String> = ["jpg", "jpeg", "png"]

    public let path: String
    public let frameRate: Double
    public let files: [URL]
    public let width: Int
    public let height: Int
    private var cursor = 0
    private var current: MediaFile?

    public init(_ folder: String, frameRate: Double) throws {
        path = folder
        self.frameRate = frameRate
        let url = URL(fileURLWithPath: folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw MediaError(folder, "not a readable folder")
        }
        let images = names.filter { Self.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        guard !images.isEmpty else { throw MediaError(folder, "holds no .jpg, .jpeg or .png frame") }
        try Self.checkNumbering(images, folder: folder)
        files = images.map { url.appendingPathComponent($0) }
        let first = try MediaFile(files[0].path)
        width = first.width
        height = first.height
    }

    /// Numbered names (the last run of digits) must be consecutive: a gap is a lost frame.
    static func checkNumbering(_ names: [String], folder: String) throws {
        let numbers = names.map { name -> Int? in
            let stem = (name as NSString).deletingPathExtension
            let digits = stem.reversed().prefix { $0.isNumber }
            return digits.isEmpty ? nil : Int(String(digits.reversed()))
        }
        guard numbers.allSatisfy({ $0 != nil }) else { return }
        for i in 1..<names.count where numbers[i]! != numbers[i - 1]! + 1 {
            throw MediaError(folder, "frame numbering jumps from \(names[i - 1]) to \(names[i])"
                + (numbers[i]! == numbers[i - 1]! ? " (the same number twice)" : " (\(numbers[i]! - numbers[i - 1]! - 1) missing)"))
        }
    }

    public var expectedFrames: Int? { files.count }

    public func next() throws -> DecodedFrame? {
        guard cursor < files.count else { return nil }
        let file = try MediaFile(files[cursor].path)
        guard file.width == width, file.height == height else {
            throw MediaError(file.path, "is \(file.width)x\(file.height), the folder's first frame is \(width)x\(height)")
        }
        guard let frame = try file.next() else { throw MediaError(file.path, "holds no image") }
        current = file
        defer { cursor += 1 }
        return DecodedFrame(index: cursor, seconds: Double(cursor) / frameRate, picture: frame.picture)
    }

    public func reread(index: Int, seconds: Double) throws -> RGBImage {
        let file = try MediaFile(files[index].path)
        guard let frame = try file.next() else { throw MediaError(file.path, "holds no image") }
        return FrameScaler(width: width, height: height).rgb(frame)
    }
}

/// Opens `--video FILE` or `--frames DIR`.
public func openFrameSource(video: String?, frames: String?, folderRate: Double) throws -> FrameSource {
    if let video { return try VideoFileSource(video) }
    guard let frames else { throw MediaError("input", "give --video FILE or --frames DIR") }
    return try FrameFolderSource(frames, frameRate: folderRate)
}
