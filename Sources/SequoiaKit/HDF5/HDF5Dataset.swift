import CHDF5
import SequoiaTensor

/// A dataset in an open `HDF5File`: its shape and its data, read whole.
public struct HDF5Dataset: HDF5Object, Sendable {
    public let file: HDF5File
    public let path: String

    init(file: HDF5File, path: String) {
        self.file = file
        self.path = path
    }

    /// The current dimensions ([] for a scalar); compare it with the expected layout before appending.
    public func shape() throws -> [Int] {
        try withDataset { dataset in try dimensions(dataset).current }
    }

    /// All values as Float32 (HDF5 converts other numeric types), row-major.
    public func readFloat32() throws -> [Float] {
        try withDataset { dataset in
            let count = try dimensions(dataset).current.reduce(1, *)
            return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                try read(dataset, sequoia_H5T_NATIVE_FLOAT(), into: buffer.baseAddress)
                initialized = count
            }
        }
    }

    /// The dataset as a tensor of its shape.
    public func readTensor() throws -> Tensor {
        try withDataset { dataset in
            let tensor = Tensor(uninitialized: try dimensions(dataset).current)
            try read(dataset, sequoia_H5T_NATIVE_FLOAT(), into: tensor.pointer)
            return tensor
        }
    }

    /// All values as Int64 (HDF5 converts other integer types), row-major.
    public func readInt64() throws -> [Int64] {
        try withDataset { dataset in
            let count = try dimensions(dataset).current.reduce(1, *)
            return try [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                try read(dataset, sequoia_H5T_NATIVE_INT64(), into: buffer.baseAddress)
                initialized = count
            }
        }
    }

    /// All strings, variable- or fixed-length, in row-major order.
    public func readStrings() throws -> [String] {
        try withDataset { dataset in
            let count = try dimensions(dataset).current.reduce(1, *)
            let storedType = H5Dget_type(dataset)
            guard storedType >= 0 else { throw failure("cannot read type") }
            defer { H5Tclose(storedType) }
            return try hdf5ReadStrings(storedType: storedType, count: count, failure: failure) {
                H5Dread(dataset, $0, sequoia_H5S_ALL(), sequoia_H5S_ALL(), sequoia_H5P_DEFAULT(), $1)
            }
        }
    }

    /// Runs `body` under the global lock with the dataset open.
    func withDataset<T>(_ body: (hid_t) throws -> T) throws -> T {
        try HDF5Library.locked {
            let dataset = H5Dopen2(try file.openID(for: path), path, sequoia_H5P_DEFAULT())
            guard dataset >= 0 else { throw failure("cannot open dataset") }
            defer { H5Dclose(dataset) }
            return try body(dataset)
        }
    }

    /// Current and maximum dimensions (maximum UInt64.max where unlimited).
    func dimensions(_ dataset: hid_t) throws -> (current: [Int], maximum: [hsize_t]) {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw failure("cannot read shape") }
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0 else { throw failure("cannot read shape") }
        var current = [hsize_t](repeating: 0, count: rank), maximum = current
        guard H5Sget_simple_extent_dims(space, &current, &maximum) >= 0 else { throw failure("cannot read shape") }
        return (current.map { Int($0) }, maximum)
    }

    private func read(_ dataset: hid_t, _ memoryType: hid_t, into buffer: UnsafeMutableRawPointer?) throws {
        guard H5Dread(dataset, memoryType, sequoia_H5S_ALL(), sequoia_H5S_ALL(), sequoia_H5P_DEFAULT(), buffer) >= 0 else {
            throw failure("cannot read data")
        }
    }
}
