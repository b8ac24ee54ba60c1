/// Puts a member's checkpoint name beside its declaration when the Swift name differs from it,
/// as mlx-swift's `@ModuleInfo(key:)` does: `@CheckpointKey("A_log") var aLog: Tensor` saves and
/// loads as `A_log`. The key may hold dots (`"bimamba.backbone"`) or be empty, which puts the
/// member's own children at this module's level (a head wrapping a pretrained model keeps the
/// model's names). The owner sets the value in its initialiser once `super.init()` has run.
@propertyWrapper
public struct CheckpointKey<Value> {
    /// Set in the owner's initialiser; reading it before then is a programming error.
    private var value: Value?
    public let key: String

    public init(_ key: String) {
        self.key = key
    }

    public var wrappedValue: Value {
        get {
            guard let value else { preconditionFailure("'\(key)' read before its module's initialiser set it") }
            return value
        }
        set { value = newValue }
    }
}

/// A property wrapper that reflection sees through: what it holds, under which name, and whether
/// it is a buffer.
protocol ReflectedWrapper {
    /// The checkpoint name, or nil to keep the Swift name.
    var checkpointKey: String? { get }
    var isBuffer: Bool { get }
    var wrapped: Any { get }
}

extension CheckpointKey: ReflectedWrapper {
    var checkpointKey: String? { key }
    var isBuffer: Bool { false }
    var wrapped: Any { value as Any }
}
