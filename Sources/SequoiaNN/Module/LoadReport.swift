/// A checkpoint tensor whose shape differs from the module's.
public struct ShapeMismatch: Equatable, Sendable {
    public let name: String
    public let expected: [Int]
    public let found: [Int]

    public init(name: String, expected: [Int], found: [Int]) {
        self.name = name
        self.expected = expected
        self.found = found
    }
}

/// What `Module.load(stateDict:strict:)` did: which names loaded and which did not match.
public struct LoadReport: Equatable, Sendable, CustomStringConvertible {
    /// Names copied into the module, in module order.
    public var loaded: [String] = []
    /// Module tensors absent from the state dict, in module order.
    public var missing: [String] = []
    /// State-dict names the module does not have, sorted.
    public var unexpected: [String] = []
    /// Names present on both sides with different shapes (left untouched).
    public var mismatched: [ShapeMismatch] = []

    public init() {}

    /// True when every name matched in both directions with the right shape.
    public var isClean: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }

    public var description: String {
        var parts = ["loaded \(loaded.count)"]
        if !missing.isEmpty { parts.append("missing \(missing)") }
        if !unexpected.isEmpty { parts.append("unexpected \(unexpected)") }
        if !mismatched.isEmpty {
            parts.append("shape mismatch " + mismatched.map { "\($0.name): expected \($0.expected), found \($0.found)" }
                .joined(separator: "; "))
        }
        return parts.joined(separator: ", ")
    }
}

/// Thrown by a strict load that found missing, unexpected or mis-shaped tensors; nothing was copied.
public struct ModuleLoadError: Error, CustomStringConvertible {
    public let report: LoadReport

    public var description: String { "state dict does not match the module: \(report)" }
}
