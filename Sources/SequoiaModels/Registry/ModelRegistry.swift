import Foundation
import SequoiaNN
import SequoiaTensor

/// A registered family: how to read its config and build its model.
public struct ModelArchitecture: Sendable {
    public let family: ModelFamily
    let decode: @Sendable (Data, _ section: String?) throws -> any ModelConfig
    let make: @Sendable (any ModelConfig, inout RandomGenerator) throws -> any LanguageModel

    public var name: String { family.name }
    public var summary: String { family.summary }
    public var referenceNames: [String] { family.referenceNames }
}

/// Architectures by name, each registered in one line: `register(MambaConfig.self, MambaLanguageModel.init)`.
/// A config file selects one with `"sequoia_backbone": NAME`, or by the reference's own
/// `model_type` / `architectures` fields.
public final class ModelRegistry: @unchecked Sendable {
    public static let shared: ModelRegistry = {
        let registry = ModelRegistry()
        registry.registerBuiltins()
        return registry
    }()

    private var byName: [String: ModelArchitecture] = [:]
    private let lock = NSLock()

    /// Registers the family of config type `C`, whose models `make` builds with fresh random weights.
    public func register<C: ModelConfig, M: LanguageModel>(
        _ config: C.Type, _ make: @escaping @Sendable (C, inout RandomGenerator) throws -> M
    ) {
        let architecture = ModelArchitecture(
            family: C.family,
            decode: { data, section in
                do {
                    return try ModelRegistry.shared.decode(C.self, data, section: section)
                } catch let error as ModelConfigError {
                    throw error
                } catch {
                    throw ModelConfigError(ModelConfigCoding.describe(error, under: section))
                }
            },
            make: { config, rng in
                guard let typed = config as? C else {
                    throw ModelConfigError("a \(type(of: config)) cannot build a \(C.family.name) model")
                }
                return try make(typed, &rng)
            })
        lock.lock(); defer { lock.unlock() }
        precondition(byName[C.family.name] == nil, "architecture '\(C.family.name)' registered twice")
        byName[C.family.name] = architecture
    }

    public var all: [ModelArchitecture] {
        lock.lock(); defer { lock.unlock() }
        return byName.values.sorted { $0.name < $1.name }
    }

    public func architecture(named name: String) -> ModelArchitecture? {
        lock.lock(); defer { lock.unlock() }
        return byName[name]
    }

    /// The fields of a config file that say which family it is.
    private struct FamilyHint: Decodable {
        var sequoiaBackbone: String?
        var modelType: String?
        var architectures: [String]?
    }

    /// The architecture a config.json describes (or, with `section`, the object under that key of a
    /// job config file).
    public func architecture(forConfig data: Data, section: String? = nil) throws -> ModelArchitecture {
        let hint: FamilyHint
        do {
            hint = try decode(FamilyHint.self, data, section: section)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.count <= (section == nil ? 0 : 1) {
            throw ModelConfigError("config is not a JSON object")
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw ModelConfigError("config is not a JSON object")
        } catch {
            throw ModelConfigError(ModelConfigCoding.describe(error, under: section))
        }
        if let name = hint.sequoiaBackbone {
            guard let architecture = architecture(named: name) else {
                throw ModelConfigError("unknown backbone '\(name)' (known: \(all.map(\.name).joined(separator: ", ")))")
            }
            return architecture
        }
        let hints = [hint.modelType].compactMap { $0 } + (hint.architectures ?? [])
        for name in hints {
            if let architecture = all.first(where: { $0.referenceNames.contains(name) }) { return architecture }
        }
        throw ModelConfigError("cannot tell the architecture: no sequoia_backbone, and model_type/architectures \(hints) name none of \(all.map(\.name))")
    }

    /// The typed config of a config.json (or of the object under `section` of a job config file),
    /// checked unless `validate` is false (a job may still set fields such as `vocab_size`; `build`
    /// checks it then).
    public func config(from data: Data, section: String? = nil, validate: Bool = true) throws -> any ModelConfig {
        let config = try architecture(forConfig: data, section: section).decode(data, section)
        if validate { try config.validate() }
        return config
    }

    /// `T` decoded from the whole of `data`, or from the object under `section`.
    fileprivate func decode<T: Decodable>(_ type: T.Type, _ data: Data, section: String?) throws -> T {
        let decoder = ModelConfigCoding.decoder()
        guard let section else { return try decoder.decode(type, from: data) }
        guard let value = try JSONSection<T>.decode(data, key: section, with: decoder) else {
            throw ModelConfigError("config lacks the \"\(section)\" section")
        }
        return value
    }

    /// A model with random weights drawn from `seed`.
    public func build(_ config: any ModelConfig, seed: UInt64 = 0) throws -> any LanguageModel {
        let name = type(of: config).family.name
        guard let architecture = architecture(named: name) else { throw ModelConfigError("architecture '\(name)' is not registered") }
        try config.validate()
        var rng = RandomGenerator(seed: seed)
        return try architecture.make(config, &rng)
    }

    /// A model with random weights for the config in config.json bytes.
    public func build(config data: Data, seed: UInt64 = 0) throws -> any LanguageModel {
        try build(try config(from: data), seed: seed)
    }

    /// config.json for a config: its fields, plus `sequoia_backbone`, `model_type` and `architectures`.
    public func encode(_ config: any ModelConfig) throws -> Data {
        try ModelConfigCoding.encoder().encode(TaggedConfig(config: config))
    }
}

/// A config with the family's names added beside its own fields.
private struct TaggedConfig: Encodable {
    let config: any ModelConfig

    private enum Keys: String, CodingKey { case sequoiaBackbone, modelType, architectures }

    func encode(to encoder: Encoder) throws {
        try config.encode(to: encoder)
        let family = type(of: config).family
        var names = encoder.container(keyedBy: Keys.self)
        try names.encode(family.name, forKey: .sequoiaBackbone)
        try names.encode(family.modelType, forKey: .modelType)
        try names.encode(family.architectures, forKey: .architectures)
    }
}
