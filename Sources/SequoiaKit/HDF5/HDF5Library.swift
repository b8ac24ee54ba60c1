import CHDF5
import Foundation

/// The one gate to libhdf5: Debian's build is not thread-safe, so every call goes through one lock.
enum HDF5Library {
    // Recursive because a file's deinit (which closes it) can run while the lock is held, when an
    // operation drops the last reference to its file.
    private static let lock: NSRecursiveLock = {
        H5open()
        return NSRecursiveLock()
    }()

    /// Runs `body` holding the global HDF5 lock, with the library's own stderr printing turned off
    /// (failures become thrown `HDF5Error`s instead).
    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        // Per call rather than once: in a thread-safe libhdf5 this setting is per thread.
        H5Eset_auto2(0 /* H5E_DEFAULT */, nil, nil)
        return try body()
    }
}
