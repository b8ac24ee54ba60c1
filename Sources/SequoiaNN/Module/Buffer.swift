import SequoiaTensor

/// Marks a tensor property (or `[Tensor]`, or an optional of either) as a non-trainable
/// buffer: it is saved and loaded with the parameters but `parameters()` leaves it out.
/// `@Buffer(key: "running_mean") var runningMean` also gives it a checkpoint name.
@propertyWrapper
public struct Buffer<Value> {
    /// Set where declared or in the owner's initialiser.
    private var value: Value?
    public let key: String?

    public init(wrappedValue: Value) {
        value = wrappedValue
        key = nil
    }

    /// A buffer saved under `key`, set in the owner's initialiser (after `super.init()`).
    public init(key: String) {
        self.key = key
    }

    public var wrappedValue: Value {
        get {
            guard let value else { preconditionFailure("buffer '\(key ?? "?")' read before its module's initialiser set it") }
            return value
        }
        set { value = newValue }
    }
}

extension Buffer: ReflectedWrapper {
    var checkpointKey: String? { key }
    var isBuffer: Bool { true }
    var wrapped: Any { value as Any }
}
