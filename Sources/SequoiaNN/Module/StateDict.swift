import SequoiaTensor

extension Module {
    /// Every parameter and buffer by checkpoint name (tied tensors under each of their names).
    /// The values are the module's own tensors, not copies.
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        walk(prefix: "") { name, member in
            switch member {
            case .parameter(let t), .buffer(let t): out[name] = t
            case .module: break
            }
        }
        return out
    }

    /// Copies `stateDict` values into the existing parameter and buffer tensors in place, so
    /// optimizers holding them see the new values. Strict mode throws `ModuleLoadError`
    /// before copying anything unless every name matches with the right shape; otherwise the
    /// matching tensors load and the report lists the rest.
    @discardableResult
    public func load(stateDict: [String: Tensor], strict: Bool = true) throws -> LoadReport {
        var report = LoadReport()
        var targets: [(Tensor, Tensor)] = []
        var known = Set<String>()
        walk(prefix: "") { name, member in
            let target: Tensor
            switch member {
            case .parameter(let t), .buffer(let t): target = t
            case .module: return
            }
            known.insert(name)
            guard let source = stateDict[name] else {
                report.missing.append(name)
                return
            }
            if source.shape != target.shape {
                report.mismatched.append(ShapeMismatch(name: name, expected: target.shape, found: source.shape))
                return
            }
            report.loaded.append(name)
            targets.append((target, source))
        }
        report.unexpected = stateDict.keys.filter { !known.contains($0) }.sorted()
        if strict && !report.isClean { throw ModuleLoadError(report: report) }
        for (target, source) in targets where target !== source { target.copyFrom(source) }
        return report
    }
}
