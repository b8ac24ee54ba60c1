import SequoiaTensor

/// What a reflected property holds, as far as checkpoints are concerned.
enum ModuleMember {
    case parameter(Tensor)
    case buffer(Tensor)
    case module(Module)
}

extension Module {
    /// This module's own members with their checkpoint keys (the Swift name, or a wrapper's key),
    /// superclass properties first, each class's in declaration order (Mirror's order, so names
    /// are deterministic).
    func members() -> [(String, ModuleMember)] {
        var mirrors: [Mirror] = []
        var next: Mirror? = Mirror(reflecting: self)
        while let mirror = next {
            mirrors.append(mirror)
            next = mirror.superclassMirror
        }
        var out: [(String, ModuleMember)] = []
        for mirror in mirrors.reversed() {
            for child in mirror.children {
                guard var label = child.label else { continue }
                guard let wrapper = child.value as? ReflectedWrapper else {
                    collect(label, child.value, isBuffer: false, into: &out)
                    continue
                }
                // A wrapper's backing storage is `_name`.
                if label.hasPrefix("_") { label.removeFirst() }
                collect(wrapper.checkpointKey ?? label, wrapper.wrapped, isBuffer: wrapper.isBuffer, into: &out)
            }
        }
        return out
    }

    /// Visits every member below this module with its full dotted name, depth first.
    func walk(prefix: String, _ visit: (String, ModuleMember) -> Void) {
        for (key, member) in members() {
            let name = prefix.isEmpty || key.isEmpty ? prefix + key : prefix + "." + key
            visit(name, member)
            if case .module(let m) = member { m.walk(prefix: name, visit) }
        }
    }
}

private func collect(_ key: String, _ value: Any, isBuffer: Bool, into out: inout [(String, ModuleMember)]) {
    if let t = value as? Tensor {
        out.append((key, isBuffer ? .buffer(t) : .parameter(t)))
    } else if let m = value as? Module {
        out.append((key, .module(m)))
    } else if let list = value as? [Module] {
        for (i, m) in list.enumerated() { out.append(("\(key).\(i)", .module(m))) }
    } else if let list = value as? [Tensor] {
        for (i, t) in list.enumerated() { out.append(("\(key).\(i)", isBuffer ? .buffer(t) : .parameter(t))) }
    } else if let dict = value as? [String: Module] {
        for k in dict.keys.sorted() { out.append(("\(key).\(k)", .module(dict[k]!))) }
    }
}
