import CHDF5
import SequoiaTensor

/// How a dataset's data is stored.
public enum HDF5Compression: Sendable {
    /// Contiguous, uncompressed (extendible datasets are still chunked, as HDF5 requires).
    case none
    /// Chunked, byte-shuffled and deflated at level 4.
    case gzip
    /// `gzip` for whole datasets of at least 1 MiB, else `none`. Extendible datasets stay uncompressed:
    /// a compressed chunk that grows across flushes is rewritten elsewhere each time, leaking file space.
    case automatic
}

/// The element types this writer stores.
public enum HDF5ElementType: Sendable {
    case float32
    case int64
    /// Variable-length UTF-8 strings.
    case string
}

extension HDF5Group {
    /// Writes `tensor` as a new Float32 dataset `name` of the tensor's shape (missing groups are created).
    @discardableResult
    public func write(_ name: String, _ tensor: Tensor, compression: HDF5Compression = .automatic) throws -> HDF5Dataset {
        try writeWhole(name, .float32, shape: tensor.shape, compression: compression, data: UnsafeRawPointer(tensor.pointer))
    }

    /// Writes `floats` as a new Float32 dataset `name` of `shape` (default: 1-D).
    @discardableResult
    public func write(_ name: String, floats: [Float], shape: [Int]? = nil,
                      compression: HDF5Compression = .automatic) throws -> HDF5Dataset {
        let shape = try checkedShape(shape, count: floats.count, name)
        return try floats.withUnsafeBytes {
            try writeWhole(name, .float32, shape: shape, compression: compression, data: $0.baseAddress)
        }
    }

    /// Writes `values` as a new Int64 dataset `name` of `shape` (default: 1-D).
    @discardableResult
    public func write(_ name: String, int64s values: [Int64], shape: [Int]? = nil,
                      compression: HDF5Compression = .automatic) throws -> HDF5Dataset {
        let shape = try checkedShape(shape, count: values.count, name)
        return try values.withUnsafeBytes {
            try writeWhole(name, .int64, shape: shape, compression: compression, data: $0.baseAddress)
        }
    }

    /// Writes `strings` as a new 1-D variable-length UTF-8 string dataset `name`.
    @discardableResult
    public func write(_ name: String, strings: [String]) throws -> HDF5Dataset {
        let written = try hdf5WithCStrings(strings) {
            try writeWhole(name, .string, shape: [strings.count], compression: .none, data: $0)
        }
        guard let written else { throw nulInString(name) }
        return written
    }

    /// Creates an empty chunked dataset `name` that grows along its first dimension through `append`:
    /// shape [0] or, with `columns` (at least 1), [0, columns]; strings are always 1-D and uncompressed.
    @discardableResult
    public func createExtendible(_ name: String, _ type: HDF5ElementType, columns: Int? = nil,
                                 compression: HDF5Compression = .automatic) throws -> HDF5Dataset {
        let full = hdf5Join(path, name)
        if let columns, columns < 1 || type == .string {
            throw HDF5Error(file: file.path, object: full, message: "cannot have \(columns) columns of \(type)")
        }
        let shape = [0] + (columns.map { [$0] } ?? [])
        return try HDF5Library.locked {
            let dataset = try createDataset(full, type, shape: shape, extendible: true,
                                            compressed: type != .string && compression == .gzip)
            H5Dclose(dataset)
            return HDF5Dataset(file: file, path: full)
        }
    }

    /// Creates dataset `name` and writes `data` (a buffer of the element type's memory layout) to it;
    /// on failure the half-made dataset is unlinked again.
    private func writeWhole(_ name: String, _ type: HDF5ElementType, shape: [Int], compression: HDF5Compression,
                            data: UnsafeRawPointer?) throws -> HDF5Dataset {
        let full = hdf5Join(path, name)
        let bytes = shape.reduce(1, *) * (type == .int64 ? 8 : 4)
        // Empty data cannot be chunked: a chunk dimension may not exceed a fixed dimension of 0.
        let compressed = type != .string && !shape.isEmpty && bytes > 0
            && (compression == .gzip || (compression == .automatic && bytes >= 1 << 20))
        try HDF5Library.locked {
            let dataset = try createDataset(full, type, shape: shape, extendible: false, compressed: compressed)
            defer { H5Dclose(dataset) }
            let status = hdf5WithMemoryType(type) { memoryType in
                H5Dwrite(dataset, memoryType, sequoia_H5S_ALL(), sequoia_H5S_ALL(), sequoia_H5P_DEFAULT(), data)
            }
            guard status >= 0 else {
                let error = HDF5Error.library(file: file.path, object: full, "cannot write data")
                H5Ldelete(try file.openID(for: full), full, sequoia_H5P_DEFAULT())
                throw error
            }
        }
        return HDF5Dataset(file: file, path: full)
    }

    /// Creates the dataset at `full` (and its missing parent groups); returns its open id. Call under the lock.
    private func createDataset(_ full: String, _ type: HDF5ElementType, shape: [Int], extendible: Bool,
                               compressed: Bool) throws -> hid_t {
        let fid = try file.openID(for: full)
        let parent = String(full[..<full.lastIndex(of: "/")!])
        if !parent.isEmpty { try createGroups(upTo: parent) }
        let dims = shape.map { hsize_t($0) }
        var maxDims = dims
        if extendible { maxDims[0] = sequoia_H5S_UNLIMITED() }
        let space = shape.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(shape.count), dims, maxDims)
        defer { H5Sclose(space) }
        let properties = H5Pcreate(sequoia_H5P_DATASET_CREATE())
        defer { H5Pclose(properties) }
        return try hdf5WithMemoryType(type) { fileType in
            if extendible || compressed {
                let chunk = hdf5ChunkShape(shape, elementSize: H5Tget_size(fileType)).map { hsize_t($0) }
                guard H5Pset_chunk(properties, Int32(chunk.count), chunk) >= 0,
                      !compressed || (H5Pset_shuffle(properties) >= 0 && H5Pset_deflate(properties, 4) >= 0) else {
                    throw HDF5Error.library(file: file.path, object: full, "cannot set chunking")
                }
            }
            let dataset = H5Dcreate2(fid, full, fileType, space, sequoia_H5P_DEFAULT(), properties, sequoia_H5P_DEFAULT())
            guard dataset >= 0 else { throw HDF5Error.library(file: file.path, object: full, "cannot create dataset") }
            return dataset
        }
    }

    private func checkedShape(_ shape: [Int]?, count: Int, _ name: String) throws -> [Int] {
        let shape = shape ?? [count]
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == count else {
            throw HDF5Error(file: file.path, object: hdf5Join(path, name), message: "\(count) values for shape \(shape)")
        }
        return shape
    }

    private func nulInString(_ name: String) -> HDF5Error {
        HDF5Error(file: file.path, object: hdf5Join(path, name), message: "a string holds a NUL character")
    }
}

/// Runs `body` with the HDF5 type for `type` in memory (also used as the stored type).
func hdf5WithMemoryType<T>(_ type: HDF5ElementType, _ body: (hid_t) throws -> T) rethrows -> T {
    switch type {
    case .float32: return try body(sequoia_H5T_NATIVE_FLOAT())
    case .int64: return try body(sequoia_H5T_NATIVE_INT64())
    case .string:
        let stringType = hdf5VariableStringType()
        defer { H5Tclose(stringType) }
        return try body(stringType)
    }
}

/// Chunks of about 256 KiB: whole trailing dimensions, as many leading rows as fit (at least one).
func hdf5ChunkShape(_ shape: [Int], elementSize: Int) -> [Int] {
    let trailing = shape.dropFirst().map { max(1, $0) }
    let rowBytes = trailing.reduce(elementSize, *)
    let rows = max(1, (256 << 10) / rowBytes)
    let firstDimension = shape[0] == 0 ? rows : min(rows, shape[0])
    return [firstDimension] + trailing
}
