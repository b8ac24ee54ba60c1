import Foundation

/// A fresh hidden name next to `path`, so the final rename stays within one file system.
func hdf5TemporaryPath(for path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    return folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

/// Makes the closed file at `temp` durable and renames it over `path`; the rename itself is made
/// durable too, so after a crash `path` holds either the old file (or nothing) or the whole new one.
func hdf5ReplaceDurably(_ temp: String, over path: String) throws {
    func failure(_ what: String) -> HDF5Error {
        HDF5Error(file: path, object: "/", message: "\(what) failed: \(String(cString: strerror(errno)))")
    }
    let fd = open(temp, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw failure("opening \(temp)") }
    let synced = fsync(fd) == 0
    close(fd)
    guard synced else { throw failure("fsync of \(temp)") }
    guard rename(temp, path) == 0 else { throw failure("renaming \(temp)") }
    let dir = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
        fsync(dir)
        close(dir)
    }
}
