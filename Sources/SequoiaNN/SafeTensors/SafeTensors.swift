import Foundation
import SequoiaTensor

/// A safetensors file, memory-mapped and validated on open. Tensors are converted to Float32
/// (`tensor`) or Int32 ids (`indices`) on request, touching only their own pages.
public final class SafeTensors {
    public let url: URL
    /// The `__metadata__` string map (empty when absent).
    public let metadata: [String: String]
    private let file: MappedFile
    private let header: SafeTensorsHeader

    /// Opens and validates `url`; throws `SafeTensorsError` for anything malformed.
    public init(contentsOf url: URL) throws {
        self.url = url
        do {
            file = try MappedFile(path: url.path)
        } catch let failure as MapFailure {
            throw SafeTensorsError(path: url.path, .cannotOpen(reason: failure.reason))
        }
        header = try SafeTensorsHeader(base: file.base, fileSize: file.size, path: url.path)
        metadata = header.metadata
    }

    /// Tensor names, sorted.
    public var names: [String] { header.entries.keys.sorted() }

    /// Whether the file holds a tensor called `name`.
    public func contains(_ name: String) -> Bool { header.entries[name] != nil }

    /// Dtype, shape and location of `name`.
    public func info(_ name: String) throws -> SafeTensorInfo {
        guard let info = header.entries[name] else { throw error(.tensorNotFound(name: name)) }
        return info
    }

    /// Shape and stored dtype of `name`.
    public func shape(_ name: String) throws -> [Int] { try info(name).shape }
    public func dtype(_ name: String) throws -> SafeTensorsDType { try info(name).dtype }

    /// `name` as a Float32 tensor, converted from any stored dtype (booleans become 0 and 1).
    public func tensor(_ name: String) throws -> Tensor {
        let info = try info(name)
        let out = Tensor(uninitialized: info.shape)
        convertToFloat(info.dtype, from: data(info), to: out.pointer, count: info.count)
        return out
    }

    /// Converts `name` into `target`'s storage (same element count), with no intermediate tensor:
    /// how checkpoints load straight into a model's parameters.
    public func read(_ name: String, into target: Tensor) throws {
        let info = try info(name)
        precondition(info.count == target.count, "read \(name) of \(info.shape) into \(target.shape)")
        convertToFloat(info.dtype, from: data(info), to: target.pointer, count: info.count)
    }

    /// `name` as integer ids; only integer and boolean dtypes, values must fit Int32.
    public func indices(_ name: String) throws -> IndexTensor {
        let info = try info(name)
        guard info.dtype.isInteger else {
            throw error(.dtypeMismatch(name: name, dtype: info.dtype.rawValue, wanted: "an integer dtype"))
        }
        guard let values = convertToInt32(info.dtype, from: data(info), count: info.count) else {
            throw error(.valueOutOfRange(name: name))
        }
        return IndexTensor(shape: info.shape, scalars: values)
    }

    /// Every tensor converted to Float32, by name.
    public func tensors() throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for name in header.entries.keys { out[name] = try tensor(name) }
        return out
    }

    private func data(_ info: SafeTensorInfo) -> UnsafeRawPointer {
        file.base + header.dataStart + info.dataOffsets.lowerBound
    }

    private func error(_ problem: SafeTensorsError.Problem) -> SafeTensorsError {
        SafeTensorsError(path: url.path, problem)
    }
}
