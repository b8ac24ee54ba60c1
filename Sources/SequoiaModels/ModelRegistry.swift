import Foundation
import SequoiaNN
import SequoiaTensor

/// A model family that can be built from a config.json.
public struct ModelArchitecture: Sendable {
    /// Registry name ("mamba", "bimamba-s", "hyena", "attention").
    public let name: String
    public let summary: String
    /// Values of the reference configs' `model_type` or `architectures` that mean this family.
    public let referenceNames: [String]
    /// Builds a randomly initialised model from config JSON (reference field names).
    public let build: @Sendable (Data, inout RandomGenerator) throws -> any LanguageModel

    public init(name: String, summary: String, referenceNames: [String],
                build: @escaping @Sendable (Data, inout RandomGenerator) throws -> any LanguageModel) {
        self.name = name
        self.summary = summary
        self.referenceNames = referenceNames
        self.build = build
    }
}

public struct ModelConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Architectures by name. A config selects one with `"sequoia_backbone": NAME`, or by the
/// reference's own `model_type` / `architectures` fields.
public final class ModelRegistry: @unchecked Sendable {
    public static let shared: ModelRegistry = {
        let r = ModelRegistry()
        for a in builtinArchitectures { r.register(a) }
        return r
    }()

    private var byName: [String: ModelArchitecture] = [:]
    private let lock = NSLock()

    public func register(_ architecture: ModelArchitecture) {
        lock.lock(); defer { lock.unlock() }
        precondition(byName[architecture.name] == nil, "architecture '\(architecture.name)' registered twice")
        byName[architecture.name] = architecture
    }

    public var all: [ModelArchitecture] {
        lock.lock(); defer { lock.unlock() }
        return byName.values.sorted { $0.name < $1.name }
    }

    public func architecture(named name: String) -> ModelArchitecture? {
        lock.lock(); defer { lock.unlock() }
        return byName[name]
    }

    /// The architecture a config.json describes.
    public func architecture(forConfig data: Data) throws -> ModelArchitecture {
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelConfigError("config is not a JSON object")
        }
        if let name = json["sequoia_backbone"] as? String {
            guard let a = architecture(named: name) else {
                throw ModelConfigError("unknown backbone '\(name)' (known: \(all.map(\.name).joined(separator: ", ")))")
            }
            return a
        }
        let hints = [json["model_type"] as? String].compactMap { $0 } + ((json["architectures"] as? [String]) ?? [])
        for hint in hints {
            if let a = all.first(where: { $0.referenceNames.contains(hint) }) { return a }
        }
        throw ModelConfigError("cannot tell the architecture: no sequoia_backbone, and model_type/architectures \(hints) name none of \(all.map(\.name))")
    }

    /// A randomly initialised model for a config.
    public func build(config data: Data, seed: UInt64 = 0) throws -> any LanguageModel {
        var rng = RandomGenerator(seed: seed)
        return try architecture(forConfig: data).build(data, &rng)
    }
}

/// Decodes a config struct, turning decoding failures into one readable line.
public func decodeConfig<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let DecodingError.keyNotFound(key, _) {
        throw ModelConfigError("config lacks the field '\(key.stringValue)'")
    } catch let DecodingError.typeMismatch(_, context) {
        throw ModelConfigError("config field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type")
    } catch let DecodingError.valueNotFound(_, context) {
        throw ModelConfigError("config field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is null")
    } catch {
        throw ModelConfigError("config is not valid JSON: \(error.localizedDescription)")
    }
}
