import SequoiaTensor

/// Base class of every layer and model.
///
/// Parameters and children are found by reflection over stored properties (as in mlx-swift):
/// a `Tensor` property is a parameter, a `Module` property a child, `[Module]` / `[Tensor]`
/// arrays give children named `.0`, `.1`, ..., `[String: Module]` dictionaries give `.key`,
/// and `nil` optionals are skipped. A tensor under `@Buffer` is state that loads and saves
/// but is not trained. Names are the Swift property names joined with dots; a property whose
/// checkpoint name differs says so beside it with `@CheckpointKey("in_proj")` (or `@Buffer(key:)`).
open class Module {
    /// Training mode (dropout active); set with `train()` / `eval()`, which reach every child.
    public private(set) var isTraining = true

    public init() {}

    /// Direct children, in declaration order.
    public func children() -> [Module] {
        members().compactMap { if case .module(let m) = $0.1 { return m } else { return nil } }
    }

    /// Every descendant module with its dotted path, depth first in declaration order (not `self`).
    public func namedModules() -> [(String, Module)] {
        var out: [(String, Module)] = []
        walk(prefix: "") { name, member in
            if case .module(let m) = member { out.append((name, m)) }
        }
        return out
    }

    /// Trainable tensors with their checkpoint names, in declaration order. A tensor reachable
    /// under several names (tied weights) appears once, under the first.
    public func namedParameters() -> [(String, Tensor)] {
        var seen = Set<ObjectIdentifier>()
        var out: [(String, Tensor)] = []
        walk(prefix: "") { name, member in
            if case .parameter(let t) = member, seen.insert(ObjectIdentifier(t)).inserted { out.append((name, t)) }
        }
        return out
    }

    /// Trainable tensors, each once.
    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Non-trainable state declared with `@Buffer`, with checkpoint names.
    public func namedBuffers() -> [(String, Tensor)] {
        var out: [(String, Tensor)] = []
        walk(prefix: "") { name, member in
            if case .buffer(let t) = member { out.append((name, t)) }
        }
        return out
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Sets training mode on this module and every descendant.
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for child in children() { child.train(mode) }
    }

    /// Inference mode: `train(false)`.
    public func eval() { train(false) }

    /// Clears every parameter's accumulated gradient.
    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }
}
