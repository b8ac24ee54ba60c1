import CHDF5

/// A group in an open `HDF5File`. Child names may be relative paths ("per_residue/seq1").
public struct HDF5Group: HDF5Object, Sendable {
    public let file: HDF5File
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// The existing group `name`.
    public func group(_ name: String) throws -> HDF5Group {
        let full = hdf5Join(path, name)
        try HDF5Library.locked { try requireKind(H5I_GROUP, at: full, "a group") }
        return HDF5Group(file: file, path: full)
    }

    /// The group `name`, creating it and any missing groups along its path; existing ones are reused.
    @discardableResult
    public func createGroup(_ name: String) throws -> HDF5Group {
        let full = hdf5Join(path, name)
        try HDF5Library.locked { try createGroups(upTo: full) }
        return HDF5Group(file: file, path: full)
    }

    /// The existing dataset `name`.
    public func dataset(_ name: String) throws -> HDF5Dataset {
        let full = hdf5Join(path, name)
        try HDF5Library.locked { try requireKind(H5I_DATASET, at: full, "a dataset") }
        return HDF5Dataset(file: file, path: full)
    }

    /// Whether a group or dataset `name` exists (every group on its path included).
    public func contains(_ name: String) throws -> Bool {
        try HDF5Library.locked {
            let fid = try file.openID(for: path)
            for prefix in hdf5Prefixes(hdf5Join(path, name)) where H5Lexists(fid, prefix, sequoia_H5P_DEFAULT()) <= 0 {
                return false
            }
            return true
        }
    }

    /// The names of this group's members, in byte order.
    public func names() throws -> [String] {
        try HDF5Library.locked {
            let group = H5Gopen2(try file.openID(for: path), path, sequoia_H5P_DEFAULT())
            guard group >= 0 else { throw failure("cannot open group") }
            defer { H5Gclose(group) }
            var info = H5G_info_t()
            guard H5Gget_info(group, &info) >= 0 else { throw failure("cannot list members") }
            return try (0..<info.nlinks).map { i in
                let get = { (buffer: UnsafeMutablePointer<CChar>?, size: Int) in
                    H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, buffer, size, sequoia_H5P_DEFAULT())
                }
                let length = get(nil, 0)
                guard length >= 0 else { throw failure("cannot list members") }
                var name = [CChar](repeating: 0, count: length + 1)
                guard get(&name, name.count) >= 0 else { throw failure("cannot list members") }
                return String(cString: name)
            }
        }
    }

    /// Unlinks the member `name`. HDF5 does not reclaim its space in the file (h5repack does).
    public func remove(_ name: String) throws {
        try HDF5Library.locked {
            let full = hdf5Join(path, name)
            guard H5Ldelete(try file.openID(for: full), full, sequoia_H5P_DEFAULT()) >= 0 else {
                throw HDF5Error.library(file: file.path, object: full, "cannot remove")
            }
        }
    }

    /// Creates every missing group on the way to `full` (itself included); call under the lock.
    func createGroups(upTo full: String) throws {
        let fid = try file.openID(for: full)
        for prefix in hdf5Prefixes(full) {
            if H5Lexists(fid, prefix, sequoia_H5P_DEFAULT()) > 0 {
                try requireKind(H5I_GROUP, at: prefix, "a group")
                continue
            }
            let group = H5Gcreate2(fid, prefix, sequoia_H5P_DEFAULT(), sequoia_H5P_DEFAULT(), sequoia_H5P_DEFAULT())
            guard group >= 0 else { throw HDF5Error.library(file: file.path, object: prefix, "cannot create group") }
            H5Gclose(group)
        }
    }

    /// Throws unless the object at `full` exists and is of `kind`; call under the lock.
    private func requireKind(_ kind: H5I_type_t, at full: String, _ noun: String) throws {
        let object = H5Oopen(try file.openID(for: full), full, sequoia_H5P_DEFAULT())
        guard object >= 0 else { throw HDF5Error.library(file: file.path, object: full, "cannot open") }
        defer { H5Oclose(object) }
        guard H5Iget_type(object) == kind else {
            throw HDF5Error(file: file.path, object: full, message: "is not \(noun)")
        }
    }
}

/// "/a/b/c" -> ["/a", "/a/b", "/a/b/c"]: the links to check or create, outermost first.
func hdf5Prefixes(_ full: String) -> [String] {
    var prefixes: [String] = [], current = ""
    for component in full.split(separator: "/") {
        current += "/" + component
        prefixes.append(current)
    }
    return prefixes
}
