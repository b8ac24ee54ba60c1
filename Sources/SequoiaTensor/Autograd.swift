import Foundation

/// The record of one op in the graph: its inputs and how to map the output's gradient to
/// theirs. Backward closures run with grad mode off, so they build no graph of their own.
final class GradNode {
    let inputs: [Tensor]
    let backward: (Tensor) -> [Tensor?]

    init(inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
    }
}

/// Whether ops record the graph. Thread-local, so inference on one thread never turns off
/// recording on another.
public enum GradMode {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// True unless inside `withoutGrad`.
    public static var isEnabled: Bool { pthread_getspecific(key) == nil }

    /// Runs `body` without recording a graph (inference, optimizer updates, backward passes).
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(key)
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
        defer { pthread_setspecific(key, previous) }
        return try body()
    }
}

extension Tensor {
    /// Attaches a graph node when grad mode is on and any input needs a gradient. Every op
    /// calls this with a closure from the output's gradient to one gradient per input (nil
    /// where an input needs none).
    @discardableResult
    public func recordingGrad(_ inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        if GradMode.isEnabled && inputs.contains(where: { $0.requiresGrad }) {
            requiresGrad = true
            node = GradNode(inputs: inputs, backward: backward)
        }
        return self
    }

    /// Whether this tensor was produced by a recorded op (as opposed to being a leaf).
    public var isLeaf: Bool { node == nil }

    /// Reverse-mode differentiation from this tensor. Without `gradient` the tensor must be a
    /// scalar and its gradient is 1. Leaf tensors with `requiresGrad` accumulate into `grad`
    /// (so gradients add across calls until cleared); the graph is freed afterwards.
    public func backward(_ gradient: Tensor? = nil) {
        precondition(requiresGrad, "backward() on a tensor that does not require grad")
        let seed = gradient ?? {
            precondition(count == 1, "backward() without a gradient needs a scalar, got \(shape)")
            return Tensor.ones(shape)
        }()
        precondition(seed.shape == shape, "gradient \(seed.shape) for tensor \(shape)")

        let order = topologicalOrder()
        var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
        // Gradients we allocated ourselves may be summed into in place; ones handed back by a
        // backward closure may alias another tensor and must not be mutated.
        var owned = Set<ObjectIdentifier>()

        GradMode.withoutGrad {
            for t in order.reversed() {
                let id = ObjectIdentifier(t)
                guard let g = grads.removeValue(forKey: id) else { continue }
                guard let node = t.node else {
                    if t.requiresGrad { t.accumulateGrad(g) }
                    continue
                }
                let inputGrads = node.backward(g)
                precondition(inputGrads.count == node.inputs.count, "backward returned \(inputGrads.count) grads for \(node.inputs.count) inputs")
                for (input, ig) in zip(node.inputs, inputGrads) {
                    guard let ig, input.requiresGrad else { continue }
                    precondition(ig.shape == input.shape, "gradient shape \(ig.shape) for input \(input.shape)")
                    let iid = ObjectIdentifier(input)
                    if let existing = grads[iid] {
                        if owned.contains(iid) {
                            addInPlace(existing, ig)
                        } else {
                            grads[iid] = sumCopy(existing, ig)
                            owned.insert(iid)
                        }
                    } else {
                        grads[iid] = ig
                    }
                }
                t.node = nil
            }
        }
    }

    private func accumulateGrad(_ g: Tensor) {
        if let existing = grad {
            addInPlace(existing, g)
        } else {
            grad = g.detached()
        }
    }

    /// Post-order over the graph, iteratively (long unrolled graphs must not overflow the stack).
    private func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(Tensor, Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (t, next) = stack.popLast() {
            let inputs = t.node?.inputs ?? []
            if next < inputs.count {
                stack.append((t, next + 1))
                let child = inputs[next]
                if child.requiresGrad && visited.insert(ObjectIdentifier(child)).inserted {
                    stack.append((child, 0))
                }
            } else {
                order.append(t)
            }
        }
        return order
    }

    /// Clears the accumulated gradient.
    public func zeroGrad() { grad = nil }
}

private func addInPlace(_ a: Tensor, _ b: Tensor) {
    let pa = a.pointer, pb = b.pointer
    Parallel.forChunks(a.count, grain: 1 << 15) { r in
        for i in r { pa[i] += pb[i] }
    }
}

private func sumCopy(_ a: Tensor, _ b: Tensor) -> Tensor {
    let out = Tensor(uninitialized: a.shape)
    let pa = a.pointer, pb = b.pointer, po = out.pointer
    Parallel.forChunks(a.count, grain: 1 << 15) { r in
        for i in r { po[i] = pa[i] + pb[i] }
    }
    return out
}
