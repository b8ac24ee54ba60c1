import CHDF5
import SequoiaTensor

extension HDF5Dataset {
    /// Appends rows to an extendible Float32 dataset; `rows` holds whole rows, row-major.
    public func append(rows: [Float]) throws {
        try rows.withUnsafeBytes { try appendRaw(.float32, count: rows.count, $0.baseAddress) }
    }

    /// Appends a tensor's rows (shape [n, columns...] matching the dataset's trailing dimensions).
    public func append(rows: Tensor) throws {
        try withDataset { dataset in
            let trailing = try dimensions(dataset).current.dropFirst()
            guard rows.rank >= 1, Array(rows.shape.dropFirst()) == Array(trailing) else {
                throw HDF5Error(file: file.path, object: path,
                                message: "cannot append rows of shape \(rows.shape) to rows of \(Array(trailing))")
            }
        }
        try appendRaw(.float32, count: rows.count, UnsafeRawPointer(rows.pointer))
    }

    /// Appends values to an extendible Int64 dataset.
    public func append(_ values: [Int64]) throws {
        try values.withUnsafeBytes { try appendRaw(.int64, count: values.count, $0.baseAddress) }
    }

    /// Appends strings to an extendible string dataset.
    public func append(_ strings: [String]) throws {
        let done: Void? = try hdf5WithCStrings(strings) { try appendRaw(.string, count: strings.count, $0) }
        if done == nil { throw HDF5Error(file: file.path, object: path, message: "a string holds a NUL character") }
    }

    /// Sets the number of rows of an extendible dataset: dropping rows past a resume point, or
    /// growing (new rows read as zero / empty).
    public func resize(rows: Int) throws {
        try withDataset { dataset in
            var dims = try dimensions(dataset).current.map { hsize_t($0) }
            guard rows >= 0, !dims.isEmpty else {
                throw HDF5Error(file: file.path, object: path, message: "cannot resize to \(rows) rows")
            }
            dims[0] = hsize_t(rows)
            guard H5Dset_extent(dataset, dims) >= 0 else { throw failure("cannot resize (is it extendible?)") }
        }
    }

    /// Writes `count` values of `type` at `data` as new rows after the existing ones.
    private func appendRaw(_ type: HDF5ElementType, count: Int, _ data: UnsafeRawPointer?) throws {
        try withDataset { dataset in
            let (current, maximum) = try dimensions(dataset)
            guard !current.isEmpty, maximum[0] == sequoia_H5S_UNLIMITED() else {
                throw HDF5Error(file: file.path, object: path, message: "is not extendible, cannot append")
            }
            let rowSize = current.dropFirst().reduce(1, *)
            guard rowSize > 0 ? count % rowSize == 0 : count == 0 else {
                throw HDF5Error(file: file.path, object: path,
                                message: "\(count) values are not whole rows of \(Array(current.dropFirst()))")
            }
            guard count > 0 else { return }
            var start = [hsize_t](repeating: 0, count: current.count)
            start[0] = hsize_t(current[0])
            var block = current.map { hsize_t($0) }
            block[0] = hsize_t(count / rowSize)
            var grown = block
            grown[0] += start[0]
            guard H5Dset_extent(dataset, grown) >= 0 else { throw failure("cannot extend") }
            let fileSpace = H5Dget_space(dataset)
            defer { H5Sclose(fileSpace) }
            let memorySpace = H5Screate_simple(Int32(block.count), block, nil)
            defer { H5Sclose(memorySpace) }
            guard H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, block, nil) >= 0 else {
                throw failure("cannot select new rows")
            }
            let status = hdf5WithMemoryType(type) { memoryType in
                H5Dwrite(dataset, memoryType, memorySpace, fileSpace, sequoia_H5P_DEFAULT(), data)
            }
            guard status >= 0 else {
                let error = failure("cannot write rows")
                H5Dset_extent(dataset, current.map { hsize_t($0) })
                throw error
            }
        }
    }
}
