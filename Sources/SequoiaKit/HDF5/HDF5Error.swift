import CHDF5

/// A failed HDF5 operation, naming the file and the object (group, dataset or attribute path).
public struct HDF5Error: Error, CustomStringConvertible {
    public let file: String
    public let object: String
    public let message: String

    public init(file: String, object: String, message: String) {
        self.file = file
        self.object = object
        self.message = message
    }

    public var description: String { "\(file): \(object): \(message)" }

    /// `action` failed inside libhdf5: the message adds the library's outermost and innermost reasons.
    /// Call it right after the failing call, before any other HDF5 call clears the error stack.
    static func library(file: String, object: String, _ action: String) -> HDF5Error {
        var reasons: [String] = []
        withUnsafeMutablePointer(to: &reasons) { list in
            _ = H5Ewalk2(0 /* H5E_DEFAULT */, H5E_WALK_DOWNWARD, { _, entry, data in
                if let desc = entry?.pointee.desc {
                    data!.assumingMemoryBound(to: [String].self).pointee.append(String(cString: desc))
                }
                return 0
            }, list)
        }
        var detail = reasons.first.map { [$0] } ?? []
        if let last = reasons.last, reasons.count > 1, last != reasons.first { detail.append(last) }
        let message = detail.isEmpty ? action : "\(action) (\(detail.joined(separator: ": ")))"
        return HDF5Error(file: file, object: object, message: message)
    }
}
