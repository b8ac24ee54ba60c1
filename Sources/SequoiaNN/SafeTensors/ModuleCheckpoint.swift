import Foundation
import SequoiaTensor

extension Module {
    /// Loads parameters and buffers from a safetensors file (any float or integer dtype,
    /// converted to Float32); see `load(stateDict:strict:)`.
    @discardableResult
    public func load(safetensors url: URL, strict: Bool = true) throws -> LoadReport {
        try load(stateDict: SafeTensors(contentsOf: url).tensors(), strict: strict)
    }

    /// Saves every parameter and buffer as F32 under its checkpoint name, atomically.
    public func save(safetensors url: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(stateDict(), metadata: metadata, to: url)
    }
}
