import SequoiaTensor

/// Marks a tensor property (or `[Tensor]`, or an optional of either) as a non-trainable
/// buffer: it is saved and loaded with the parameters but `parameters()` leaves it out.
@propertyWrapper
public struct Buffer<Value> {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }
}

/// Lets reflection see through `Buffer` without knowing its generic argument.
protocol AnyBuffer {
    var anyValue: Any { get }
}

extension Buffer: AnyBuffer {
    var anyValue: Any { wrappedValue }
}
