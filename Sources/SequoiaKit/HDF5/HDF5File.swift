import CHDF5
import Foundation
import SequoiaNN

/// An open HDF5 file; file attributes (h5py's `f.attrs`) are `root`'s.
///
/// Groups and datasets are light handles (`HDF5Group`, `HDF5Dataset`) that open their object for
/// each operation, so nothing stays open behind the file's back and `close()` really closes it.
/// Every call is serialised through one global lock, so a file may be used from any thread.
public final class HDF5File: @unchecked Sendable {
    /// The three ways to open a file: `create`, `openForAppend`, `openReadOnly`.
    public enum Mode: Sendable { case create, append, readOnly }

    /// The file's final path (for `.create`, where it appears on `close()`).
    public let path: String
    /// How the file was opened.
    public let mode: Mode
    /// Where a `.create` file is written until `close()` renames it over `path`.
    private let temporaryPath: String?
    /// The libhdf5 file id; -1 once closed.
    private var id: hid_t

    private init(path: String, mode: Mode, temporaryPath: String?, id: hid_t) {
        self.path = path
        self.mode = mode
        self.temporaryPath = temporaryPath
        self.id = id
    }

    /// Starts a new file that replaces `path` atomically on `close()`: until then it is written to a
    /// hidden temporary file in the same folder, which `discard()` or deinit without `close()` removes.
    /// A crash leaves the old file at `path` (or none) and at worst a stray `.<name>.tmp-*` file.
    public static func create(_ path: String) throws -> HDF5File {
        let temp = AtomicFile.temporaryURL(for: URL(fileURLWithPath: path)).path
        return try HDF5Library.locked {
            let id = H5Fcreate(temp, sequoia_H5F_ACC_TRUNC(), sequoia_H5P_DEFAULT(), sequoia_H5P_DEFAULT())
            guard id >= 0 else { throw HDF5Error.library(file: path, object: "/", "cannot create") }
            return HDF5File(path: path, mode: .create, temporaryPath: temp, id: id)
        }
    }

    /// Opens `path` read-write for resumable output, first creating it (atomically, empty) if missing.
    ///
    /// Writes go into the file in place, so they are not atomic: a crash between `flush()`es can
    /// lose or corrupt what was written since the last one. Each `flush()` (and `close()`) leaves a
    /// complete, valid file, so write a batch's data, then its ids, then flush; on resume trust only
    /// ids that are present and `resize(rows:)` data datasets back to the id count.
    public static func openForAppend(_ path: String) throws -> HDF5File {
        if !FileManager.default.fileExists(atPath: path) { try create(path).close() }
        return try open(path, mode: .append, flags: sequoia_H5F_ACC_RDWR())
    }

    /// Opens an existing file for reading.
    public static func openReadOnly(_ path: String) throws -> HDF5File {
        try open(path, mode: .readOnly, flags: sequoia_H5F_ACC_RDONLY())
    }

    private static func open(_ path: String, mode: Mode, flags: UInt32) throws -> HDF5File {
        try HDF5Library.locked {
            guard FileManager.default.fileExists(atPath: path) else {
                throw HDF5Error(file: path, object: "/", message: "no such file")
            }
            let isHDF5 = H5Fis_hdf5(path)
            guard isHDF5 >= 0 else { throw HDF5Error.library(file: path, object: "/", "cannot open") }
            guard isHDF5 > 0 else { throw HDF5Error(file: path, object: "/", message: "not an HDF5 file") }
            let id = H5Fopen(path, flags, sequoia_H5P_DEFAULT())
            guard id >= 0 else { throw HDF5Error.library(file: path, object: "/", "cannot open") }
            return HDF5File(path: path, mode: mode, temporaryPath: nil, id: id)
        }
    }

    /// The root group "/".
    public var root: HDF5Group { HDF5Group(file: self, path: "/") }

    /// Whether the file is still open.
    public var isOpen: Bool { HDF5Library.locked { id >= 0 } }

    /// Writes everything so far to disk, leaving a valid file there (for `.create`, the temporary one).
    public func flush() throws {
        try HDF5Library.locked {
            let id = try openID(for: "/")
            guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw HDF5Error.library(file: path, object: "/", "flush failed") }
        }
    }

    /// Closes the file; a `.create` file is then renamed over `path`. Closing twice is a no-op.
    public func close() throws {
        try HDF5Library.locked {
            guard id >= 0 else { return }
            let status = H5Fclose(id)
            id = -1
            guard status >= 0 else {
                let error = HDF5Error.library(file: path, object: "/", "close failed")
                if let temporaryPath { unlink(temporaryPath) }
                throw error
            }
            if let temporaryPath {
                do {
                    try AtomicFile.replace(URL(fileURLWithPath: path), with: URL(fileURLWithPath: temporaryPath))
                } catch {
                    unlink(temporaryPath)
                    throw HDF5Error(file: path, object: "/", message: "\(error)")
                }
            }
        }
    }

    /// Abandons the file: a `.create` file's temporary file is removed and `path` is left as it was;
    /// other files are just closed.
    public func discard() {
        HDF5Library.locked {
            guard id >= 0 else { return }
            H5Fclose(id)
            id = -1
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    deinit { discard() }

    /// The open file id, or an error naming `object` when the file has been closed.
    func openID(for object: String) throws -> hid_t {
        guard id >= 0 else { throw HDF5Error(file: path, object: object, message: "file is closed") }
        return id
    }
}
