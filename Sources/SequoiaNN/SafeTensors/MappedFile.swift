import Glibc

/// A read-only private memory map of a whole file, unmapped when released.
final class MappedFile {
    let base: UnsafeRawPointer
    let size: Int

    /// Maps `path`; throws the reason (errno text) on failure. Empty files map to nothing.
    init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MapFailure(reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw MapFailure(reason: String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw MapFailure(reason: "not a regular file") }
        size = Int(st.st_size)
        if size == 0 {
            base = UnsafeRawPointer(bitPattern: 1)!
            return
        }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw MapFailure(reason: String(cString: strerror(errno))) }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if size > 0 { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }
}

struct MapFailure: Error {
    let reason: String
}
