import CHDF5

/// Scalar string and numeric attributes on groups and datasets (file attributes live on `root`).
/// Setting an existing attribute replaces it; reading a missing one gives nil.
extension HDF5Object {
    /// Stores `value` as a variable-length UTF-8 string attribute.
    public func setAttribute(_ name: String, _ value: String) throws {
        let done: Void? = try hdf5WithCStrings([value]) { buffer in
            try writeAttribute(name, .string, buffer)
        }
        if done == nil { throw HDF5Error(file: file.path, object: path, message: "attribute '\(name)' holds a NUL character") }
    }

    /// Stores `value` as an Int64 attribute.
    public func setAttribute(_ name: String, _ value: Int) throws {
        var wide = Int64(value)
        try writeAttribute(name, .int64, &wide)
    }

    /// Stores `value` as a Float64 attribute.
    public func setAttribute(_ name: String, _ value: Double) throws {
        var value = value
        try withOpenObject { object in
            try replaceAttribute(object, name, type: sequoia_H5T_NATIVE_DOUBLE(), &value)
        }
    }

    /// The string attribute `name`, or nil when there is none.
    public func stringAttribute(_ name: String) throws -> String? {
        try readAttribute(name) { attribute, storedType in
            try hdf5ReadStrings(storedType: storedType, count: 1, failure: { failure("attribute '\(name)': \($0)") }) {
                H5Aread(attribute, $0, $1)
            }[0]
        }
    }

    /// The integer attribute `name`, or nil when there is none.
    public func intAttribute(_ name: String) throws -> Int? {
        try readAttribute(name) { attribute, storedType in
            guard H5Tget_class(storedType) == H5T_INTEGER else {
                throw HDF5Error(file: file.path, object: path, message: "attribute '\(name)' is not an integer")
            }
            var value: Int64 = 0
            guard H5Aread(attribute, sequoia_H5T_NATIVE_INT64(), &value) >= 0 else {
                throw failure("cannot read attribute '\(name)'")
            }
            return Int(value)
        }
    }

    /// The numeric (floating-point or integer) attribute `name`, or nil when there is none.
    public func doubleAttribute(_ name: String) throws -> Double? {
        try readAttribute(name) { attribute, storedType in
            guard [H5T_FLOAT, H5T_INTEGER].contains(H5Tget_class(storedType)) else {
                throw HDF5Error(file: file.path, object: path, message: "attribute '\(name)' is not a number")
            }
            var value = 0.0
            guard H5Aread(attribute, sequoia_H5T_NATIVE_DOUBLE(), &value) >= 0 else {
                throw failure("cannot read attribute '\(name)'")
            }
            return value
        }
    }

    /// The names of this object's attributes, in byte order.
    public func attributeNames() throws -> [String] {
        try withOpenObject { object in
            var info = H5O_info_t()
            guard H5Oget_info2(object, &info, UInt32(H5O_INFO_NUM_ATTRS)) >= 0 else { throw failure("cannot list attributes") }
            return try (0..<info.num_attrs).map { i in
                let get = { (buffer: UnsafeMutablePointer<CChar>?, size: Int) in
                    H5Aget_name_by_idx(object, ".", H5_INDEX_NAME, H5_ITER_INC, i, buffer, size, sequoia_H5P_DEFAULT())
                }
                let length = get(nil, 0)
                guard length >= 0 else { throw failure("cannot list attributes") }
                var name = [CChar](repeating: 0, count: length + 1)
                guard get(&name, name.count) >= 0 else { throw failure("cannot list attributes") }
                return String(cString: name)
            }
        }
    }

    private func writeAttribute(_ name: String, _ type: HDF5ElementType, _ value: UnsafeRawPointer) throws {
        try withOpenObject { object in
            try hdf5WithMemoryType(type) { try replaceAttribute(object, name, type: $0, value) }
        }
    }

    /// Creates the scalar attribute `name` of `type` holding `value`, replacing any old one; under the lock.
    private func replaceAttribute(_ object: hid_t, _ name: String, type: hid_t, _ value: UnsafeRawPointer) throws {
        if H5Aexists(object, name) > 0 && H5Adelete(object, name) < 0 {
            throw failure("cannot replace attribute '\(name)'")
        }
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(object, name, type, space, sequoia_H5P_DEFAULT(), sequoia_H5P_DEFAULT())
        guard attribute >= 0 else { throw failure("cannot create attribute '\(name)'") }
        defer { H5Aclose(attribute) }
        guard H5Awrite(attribute, type, value) >= 0 else { throw failure("cannot write attribute '\(name)'") }
    }

    /// Opens the single-valued attribute `name` and its stored type for `body`; nil when absent.
    private func readAttribute<T>(_ name: String, _ body: (hid_t, hid_t) throws -> T) throws -> T? {
        try withOpenObject { object in
            let exists = H5Aexists(object, name)
            guard exists >= 0 else { throw failure("cannot look up attribute '\(name)'") }
            guard exists > 0 else { return nil }
            let attribute = H5Aopen(object, name, sequoia_H5P_DEFAULT())
            guard attribute >= 0 else { throw failure("cannot open attribute '\(name)'") }
            defer { H5Aclose(attribute) }
            let space = H5Aget_space(attribute)
            defer { H5Sclose(space) }
            guard H5Sget_simple_extent_npoints(space) == 1 else {
                throw HDF5Error(file: file.path, object: path, message: "attribute '\(name)' is not a single value")
            }
            let storedType = H5Aget_type(attribute)
            guard storedType >= 0 else { throw failure("cannot read attribute '\(name)'") }
            defer { H5Tclose(storedType) }
            return try body(attribute, storedType)
        }
    }
}
