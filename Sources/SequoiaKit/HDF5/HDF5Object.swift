import CHDF5

/// A group or dataset inside an open `HDF5File`, named by its absolute path.
public protocol HDF5Object {
    var file: HDF5File { get }
    /// Absolute path inside the file, e.g. "/per_residue/seq1".
    var path: String { get }
}

extension HDF5Object {
    /// The error for a failed libhdf5 call on this object.
    func failure(_ action: String) -> HDF5Error {
        HDF5Error.library(file: file.path, object: path, action)
    }

    /// Runs `body` under the global lock with this object opened, closing it afterwards.
    func withOpenObject<T>(_ body: (hid_t) throws -> T) throws -> T {
        try HDF5Library.locked {
            let object = H5Oopen(try file.openID(for: path), path, sequoia_H5P_DEFAULT())
            guard object >= 0 else { throw failure("cannot open") }
            defer { H5Oclose(object) }
            return try body(object)
        }
    }
}

/// `name` resolved against the group at `base`; a name starting with "/" is already absolute.
func hdf5Join(_ base: String, _ name: String) -> String {
    if name.hasPrefix("/") { return name }
    return base == "/" ? "/" + name : base + "/" + name
}
