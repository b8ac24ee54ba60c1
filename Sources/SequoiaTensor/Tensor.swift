import Foundation

/// A dense, contiguous, row-major Float32 tensor that can take part in reverse-mode autograd.
///
/// Tensors are reference types so the autograd graph can point at them; every op returns a
/// new tensor and never mutates its inputs. `reshaped` shares storage (layout is always
/// contiguous); everything else copies.
public final class Tensor {
    public let shape: [Int]
    public let storage: Storage
    /// Leaf tensors with `requiresGrad` collect `grad` during `backward()`.
    public var requiresGrad: Bool
    public var grad: Tensor?
    /// The op that produced this tensor, while a graph is alive.
    var node: GradNode?

    public init(storage: Storage, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(storage.count == shape.reduce(1, *), "storage of \(storage.count) for shape \(shape)")
        self.storage = storage
        self.shape = shape
        self.requiresGrad = false
    }

    /// Uninitialised memory; kernels that write every element use this.
    public convenience init(uninitialized shape: [Int]) {
        self.init(storage: Storage(count: shape.reduce(1, *)), shape: shape)
    }

    public convenience init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
        precondition(scalars.count == shape.reduce(1, *), "\(scalars.count) scalars for shape \(shape)")
        self.init(uninitialized: shape)
        scalars.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: scalars.count) }
        self.requiresGrad = requiresGrad
    }

    public convenience init(_ scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 0, requiresGrad: requiresGrad)
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, 1, requiresGrad: requiresGrad)
    }

    public static func full(_ shape: [Int], _ value: Float, requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitialized: shape)
        t.pointer.update(repeating: value, count: t.count)
        t.requiresGrad = requiresGrad
        return t
    }

    /// Normal(mean, std) samples from a seeded generator.
    public static func randn(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RandomGenerator,
                             requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.pointer[i] = mean + std * rng.nextNormal() }
        t.requiresGrad = requiresGrad
        return t
    }

    /// Uniform samples in [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout RandomGenerator,
                               requiresGrad: Bool = false) -> Tensor {
        let t = Tensor(uninitialized: shape)
        for i in 0..<t.count { t.pointer[i] = low + (high - low) * rng.nextFloat() }
        t.requiresGrad = requiresGrad
        return t
    }

    public var count: Int { storage.count }
    public var rank: Int { shape.count }
    /// Raw element pointer; valid while this tensor is alive.
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer }
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public var scalars: [Float] { Array(buffer) }

    public func item() -> Float {
        precondition(count == 1, "item() on a tensor of shape \(shape)")
        return pointer[0]
    }

    /// The size of dimension `axis`; negative axes count from the end.
    public func size(_ axis: Int) -> Int { shape[normalizeAxis(axis, rank: rank)] }

    /// A copy that shares nothing and is cut from the graph.
    public func detached() -> Tensor {
        let t = Tensor(uninitialized: shape)
        t.pointer.update(from: pointer, count: count)
        return t
    }

    /// Fills every element with `value` in place (parameters and buffers; not for graph values).
    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    /// Overwrites this tensor's elements with `other`'s in place (same element count).
    public func copyFrom(_ other: Tensor) {
        precondition(other.count == count, "copy of \(other.shape) into \(shape)")
        pointer.update(from: other.pointer, count: count)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = scalars.prefix(8).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), [\(head)\(count > 8 ? ", ..." : "")])"
    }
}

@inline(__always)
public func normalizeAxis(_ axis: Int, rank: Int) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < Swift.max(rank, 1), "axis \(axis) out of range for rank \(rank)")
    return a
}
