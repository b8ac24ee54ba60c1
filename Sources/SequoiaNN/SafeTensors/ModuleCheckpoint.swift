import Foundation
import SequoiaTensor

extension Module {
    /// Loads parameters and buffers from a safetensors file straight into the module's tensors
    /// (no copy of the whole file is made). A tied tensor stored once loads under each of its
    /// names through `aliases` (alias -> stored name), merged with the file's `tied_aliases`
    /// metadata; names under `ignoring` prefixes are left out. Strict mode throws
    /// `ModuleLoadError` before writing anything unless every name matches with the right shape.
    @discardableResult
    public func load(safetensors url: URL, strict: Bool = true, aliases: [String: String] = [:],
                     ignoring prefixes: [String] = []) throws -> LoadReport {
        let file = try SafeTensors(contentsOf: url)
        var aliases = aliases
        if let json = file.metadata["tied_aliases"], let data = json.data(using: .utf8),
           let stored = try? JSONDecoder().decode([String: String].self, from: data) {
            aliases.merge(stored) { given, _ in given }
        }
        let available = Set(file.names.filter { name in !prefixes.contains { name.hasPrefix($0) } })
        var report = LoadReport()
        var plan: [(target: Tensor, source: String)] = []
        var used = Set<String>()
        walk(prefix: "") { name, member in
            let target: Tensor
            switch member {
            case .parameter(let t), .buffer(let t): target = t
            case .module: return
            }
            guard let source = available.contains(name) ? name : aliases[name].flatMap({ available.contains($0) ? $0 : nil })
            else {
                report.missing.append(name)
                return
            }
            used.insert(source)
            let shape = (try? file.shape(source)) ?? []
            guard shape == target.shape else {
                report.mismatched.append(ShapeMismatch(name: name, expected: target.shape, found: shape))
                return
            }
            report.loaded.append(name)
            plan.append((target, source))
        }
        report.unexpected = available.subtracting(used).sorted()
        if strict && !report.isClean { throw ModuleLoadError(report: report) }
        var filled = Set<ObjectIdentifier>()
        for (target, source) in plan where filled.insert(ObjectIdentifier(target)).inserted {
            try file.read(source, into: target)
        }
        return report
    }

    /// Saves every parameter and buffer as F32, atomically. A tensor reachable under several
    /// names (tied weights) is stored once, under its first name, and the other names are
    /// recorded in the `tied_aliases` metadata (as Hugging Face checkpoints do).
    public func save(safetensors url: URL, metadata: [String: String] = [:]) throws {
        var tensors: [String: Tensor] = [:]
        var aliases: [String: String] = [:]
        var firstName: [ObjectIdentifier: String] = [:]
        walk(prefix: "") { name, member in
            switch member {
            case .parameter(let t), .buffer(let t):
                if let stored = firstName[ObjectIdentifier(t)] {
                    aliases[name] = stored
                } else {
                    firstName[ObjectIdentifier(t)] = name
                    tensors[name] = t
                }
            case .module: break
            }
        }
        var metadata = metadata
        if !aliases.isEmpty {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            metadata["tied_aliases"] = String(decoding: try encoder.encode(aliases), as: UTF8.self)
        }
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }
}
