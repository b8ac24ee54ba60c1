/// A safetensors file that cannot be read or written, naming the file and what is wrong with it.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case cannotOpen(reason: String)
        case fileTooSmall(size: Int)
        case headerPastEnd(headerLength: UInt64, fileSize: Int)
        case invalidJSON(reason: String)
        case headerNotObject
        case invalidMetadata(reason: String)
        case invalidEntry(name: String, reason: String)
        case unknownDType(name: String, dtype: String)
        case invalidShape(name: String)
        case invalidOffsets(name: String, reason: String)
        case offsetsOutOfRange(name: String, end: Int, dataSize: Int)
        case overlappingTensors(String, String)
        case byteCountMismatch(name: String, expected: Int, actual: Int)
        case tensorNotFound(name: String)
        case dtypeMismatch(name: String, dtype: String, wanted: String)
        case valueOutOfRange(name: String)
        case duplicateName(name: String)
        case writeFailed(reason: String)
    }

    public let path: String
    public let problem: Problem

    public init(path: String, _ problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "safetensors file \(path): \(problem.text)" }
}

extension SafeTensorsError.Problem {
    var text: String {
        switch self {
        case .cannotOpen(let reason): return "cannot open: \(reason)"
        case .fileTooSmall(let size): return "file is \(size) bytes, shorter than the 8-byte header length"
        case .headerPastEnd(let length, let size):
            return "header length \(length) runs past the end of the \(size)-byte file"
        case .invalidJSON(let reason): return "header is not valid JSON: \(reason)"
        case .headerNotObject: return "header is not a JSON object"
        case .invalidMetadata(let reason): return "__metadata__ \(reason)"
        case .invalidEntry(let name, let reason): return "tensor \(name): \(reason)"
        case .unknownDType(let name, let dtype): return "tensor \(name): unknown dtype \(dtype)"
        case .invalidShape(let name): return "tensor \(name): shape must be an array of non-negative integers"
        case .invalidOffsets(let name, let reason): return "tensor \(name): data_offsets \(reason)"
        case .offsetsOutOfRange(let name, let end, let size):
            return "tensor \(name): data ends at \(end), past the \(size)-byte data section"
        case .overlappingTensors(let a, let b): return "tensors \(a) and \(b) overlap"
        case .byteCountMismatch(let name, let expected, let actual):
            return "tensor \(name): shape and dtype need \(expected) bytes, data_offsets give \(actual)"
        case .tensorNotFound(let name): return "no tensor named \(name)"
        case .dtypeMismatch(let name, let dtype, let wanted): return "tensor \(name) is \(dtype), wanted \(wanted)"
        case .valueOutOfRange(let name): return "tensor \(name) has values outside the Int32 range"
        case .duplicateName(let name): return "name \(name) given twice"
        case .writeFailed(let reason): return "write failed: \(reason)"
        }
    }
}
