import Foundation
import Glibc

/// Writes that never leave half a file: temp file in the same folder, fsync, rename.
public enum AtomicFile {
    /// Replaces `url` with `data` atomically and durably.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(temp, "open") }
        do {
            try data.withUnsafeBytes { raw in
                var done = 0
                while done < raw.count {
                    let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { throw failure(temp, "write") }
                    done += n
                }
            }
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
        guard rename(temp.path, url.path) == 0 else {
            let error = failure(url, "rename")
            unlink(temp.path)
            throw error
        }
        syncFolder(folder)
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

    private static func failure(_ url: URL, _ call: String) -> CommandError {
        CommandError("cannot write \(url.path): \(call): \(String(cString: strerror(errno)))")
    }
}
