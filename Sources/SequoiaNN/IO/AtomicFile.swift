import Foundation
import Glibc

/// A failed atomic write: the path and the system call that failed.
public struct AtomicFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot write \(path): \(reason)" }
}

/// Writes that never leave half a file: a temporary file in the same folder, fsync, rename,
/// and fsync of the folder so the rename itself survives a crash. Every output of the project
/// (checkpoints, safetensors, HDF5, metrics) goes through here.
public enum AtomicFile {
    /// A fresh hidden name next to `url`, so the final rename stays within one file system.
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    /// Runs `body` on a fresh temporary file's descriptor, then makes it durable and renames
    /// it over `url`. On any failure the temporary file is removed and `url` is left as it was.
    public static func write(to url: URL, _ body: (Int32) throws -> Void) throws {
        let temp = temporaryURL(for: url)
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(temp, "open") }
        do {
            try body(fd)
            guard fsync(fd) == 0 else { throw failure(temp, "fsync") }
        } catch {
            close(fd)
            unlink(temp.path)
            throw error
        }
        guard close(fd) == 0 else {
            let error = failure(temp, "close")
            unlink(temp.path)
            throw error
        }
        try replace(url, with: temp, alreadySynced: true)
    }

    /// Replaces `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { fd in
            try data.withUnsafeBytes { raw in
                if raw.count > 0 { try writeAll(fd, raw.baseAddress!, raw.count, path: url.path) }
            }
        }
    }

    /// Makes the closed file `temp` durable and renames it over `url` (for files written by a
    /// library that opens its own paths, such as HDF5).
    public static func replace(_ url: URL, with temp: URL, alreadySynced: Bool = false) throws {
        if !alreadySynced { try sync(temp) }
        guard rename(temp.path, url.path) == 0 else {
            let error = failure(url, "rename")
            unlink(temp.path)
            throw error
        }
        syncFolder(url.deletingLastPathComponent())
    }

    /// Writes all `count` bytes to `fd`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, path: String) throws {
        var done = 0
        while done < count {
            let n = Glibc.write(fd, bytes + done, min(count - done, 1 << 30))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw AtomicFileError(path: path, reason: "write: \(String(cString: strerror(errno)))") }
            done += n
        }
    }

    /// Flushes a file already written by someone else (e.g. a caller's model writer) to disk.
    public static func sync(_ url: URL) throws {
        let fd = open(url.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(url, "open") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(url, "fsync") }
    }

    /// Persists renames and creations inside `folder` (best effort: some file systems refuse).
    public static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    private static func failure(_ url: URL, _ call: String) -> AtomicFileError {
        AtomicFileError(path: url.path, reason: "\(call): \(String(cString: strerror(errno)))")
    }
}
