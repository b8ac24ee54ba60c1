import CHDF5
import Foundation

/// A new variable-length UTF-8 string type (h5py reads it as `str`); the caller closes it.
func hdf5VariableStringType() -> hid_t {
    let type = H5Tcopy(sequoia_H5T_C_S1())
    H5Tset_size(type, -1 /* H5T_VARIABLE, i.e. (size_t)-1 */)
    H5Tset_cset(type, H5T_CSET_UTF8)
    return type
}

/// Runs `body` with a C array of NUL-terminated copies of `strings` (the buffer a variable-length
/// string write takes). Returns nil without running it when a string holds a NUL, which C strings cannot.
func hdf5WithCStrings<T>(_ strings: [String], _ body: (UnsafeRawPointer) throws -> T) rethrows -> T? {
    if strings.contains(where: { $0.utf8.contains(0) }) { return nil }
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try copies.withUnsafeBytes { try body($0.baseAddress!) }
}

/// Reads `count` strings stored with `storedType`, variable- or fixed-length; `read` fills a buffer
/// laid out for the memory type it is given, and returns its status; `failure` makes the error for a message.
func hdf5ReadStrings(storedType: hid_t, count: Int, failure: (String) -> HDF5Error,
                     read: (_ memoryType: hid_t, _ buffer: UnsafeMutableRawPointer) -> herr_t) throws -> [String] {
    guard H5Tget_class(storedType) == H5T_STRING else {
        throw failure("does not hold strings")
    }
    if H5Tis_variable_str(storedType) > 0 {
        let memoryType = hdf5VariableStringType()
        defer { H5Tclose(memoryType) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        let status = pointers.withUnsafeMutableBytes { read(memoryType, $0.baseAddress!) }
        guard status >= 0 else { throw failure("cannot read strings") }
        defer { pointers.forEach { if let p = $0 { H5free_memory(p) } } }
        return pointers.map { $0.map { String(cString: $0) } ?? "" }
    }
    let width = H5Tget_size(storedType)
    let spacePadded = H5Tget_strpad(storedType) == H5T_STR_SPACEPAD
    var bytes = [UInt8](repeating: 0, count: max(1, count * width))
    guard bytes.withUnsafeMutableBytes({ read(storedType, $0.baseAddress!) }) >= 0 else { throw failure("cannot read strings") }
    return (0..<count).map { i in
        var field = bytes[i * width ..< (i + 1) * width]
        if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
        if spacePadded { while field.last == 0x20 { field = field.dropLast() } }
        return String(decoding: field, as: UTF8.self)
    }
}
