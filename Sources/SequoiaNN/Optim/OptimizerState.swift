import SequoiaTensor

/// An optimizer's running state: per-parameter tensors keyed "<index>.<name>" (index over all
/// groups in order, as PyTorch's state dict) and scalars such as step counts. Restoring it into a
/// fresh optimizer over the same parameters continues training bit for bit.
public struct OptimizerState {
    public var tensors: [String: Tensor]
    public var scalars: [String: Double]

    public init(tensors: [String: Tensor] = [:], scalars: [String: Double] = [:]) {
        self.tensors = tensors
        self.scalars = scalars
    }

    /// The scalars as strings (exact round trip), e.g. for safetensors `__metadata__`.
    public var scalarMetadata: [String: String] { scalars.mapValues { "\($0)" } }

    /// Rebuilds state from tensors and metadata written from `scalarMetadata` (non-numeric values are skipped).
    public init(tensors: [String: Tensor], metadata: [String: String]) {
        self.tensors = tensors
        scalars = metadata.compactMapValues(Double.init)
    }

    /// Checks that every tensor key is "<index>.<name>" for an index below `count` and a known name.
    func validateKeys(count: Int, names: Set<String>) throws {
        for key in tensors.keys {
            let parts = key.split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let i = Int(parts[0]), i >= 0, i < count, names.contains(String(parts[1])) else {
                throw OptimizerStateError.unexpectedKey(key)
            }
        }
    }

    /// The tensor under `key`, checked against the parameter it belongs to.
    func tensor(_ key: String, like parameter: Tensor) throws -> Tensor? {
        guard let t = tensors[key] else { return nil }
        guard t.shape == parameter.shape else {
            throw OptimizerStateError.shapeMismatch(key: key, expected: parameter.shape, found: t.shape)
        }
        return t.detached()
    }
}

/// Optimizer state that does not fit the optimizer it is loaded into.
public enum OptimizerStateError: Error, CustomStringConvertible {
    case shapeMismatch(key: String, expected: [Int], found: [Int])
    case unexpectedKey(String)
    case invalidScalar(key: String, value: Double)

    public var description: String {
        switch self {
        case .shapeMismatch(let key, let expected, let found):
            return "optimizer state \(key): expected shape \(expected), found \(found)"
        case .unexpectedKey(let key):
            return "optimizer state has \(key), which names no parameter of this optimizer"
        case .invalidScalar(let key, let value):
            return "optimizer state scalar \(key) = \(value) is not valid"
        }
    }
}
