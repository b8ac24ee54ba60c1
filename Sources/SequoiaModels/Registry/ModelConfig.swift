import Foundation

/// What a model family is called: the registry name a config selects it by, and the reference
/// checkpoints' `model_type` and `architectures`, which select it too and are written back into
/// every config.json, so a saved folder stays loadable by the reference code.
public struct ModelFamily: Sendable {
    /// Registry name ("mamba", "bimamba-s", "hyena", "attention").
    public let name: String
    public let summary: String
    public let modelType: String
    public let architectures: [String]

    public init(name: String, summary: String, modelType: String, architectures: [String]) {
        self.name = name
        self.summary = summary
        self.modelType = modelType
        self.architectures = architectures
    }

    /// The reference names that mean this family.
    public var referenceNames: [String] { [modelType] + architectures }
}

/// A model family's config.json, typed.
///
/// One style for every family: Swift properties are camelCase and hold their defaults where they
/// are declared; the file's keys are the same names in snake_case, as the reference checkpoints
/// spell them (`ModelConfigCoding` converts both ways, so no type lists its keys). A decoder
/// starts from the declared defaults and fills in what the file gives (`fill`), and `validate`
/// refuses values the model cannot be built from.
public protocol ModelConfig: Codable, Sendable {
    static var family: ModelFamily { get }
    /// Token ids the model embeds, before any padding of the vocabulary (`vocab_size`). A file may
    /// leave it out when a plugin sets it (from a fitted tokenizer): it then reads as 0, which
    /// `validate` refuses.
    var vocabSize: Int { get set }
    /// The longest sequence the built model accepts, or nil when it has no limit. Setting it sizes
    /// the positional state of a family that has one (Hyena's `max_seq_len`); a family without one
    /// ignores it.
    var maxLength: Int? { get set }
    /// Throws `ModelConfigError` on values the model cannot be built from.
    func validate() throws
    /// How the model is to run past the `trainedWindow` positions it was trained on. A family with
    /// positions to rescale (attention's RoPE) takes it; families without (Mamba, Hyena) ignore it.
    mutating func extendContext(_ method: ContextExtension, trainedWindow: Int)
}

/// How a model with positions runs on sequences longer than its training window L_train.
public enum ContextExtension: String, Codable, Sendable, CaseIterable {
    /// Positions as trained, continued past the window.
    case extrapolation
    /// Position interpolation: at length L > L_train every frequency is divided by L / L_train.
    case interpolation
    /// Visual context extension (VCWE): YaRN's NTK-by-parts against the visual window.
    case visual
}

extension ModelConfig {
    public mutating func extendContext(_ method: ContextExtension, trainedWindow: Int) {}
}

public struct ModelConfigError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension KeyedDecodingContainer {
    /// Replaces `value` (a declared default) with the file's value for `key` when it has one.
    public func fill<T: Decodable>(_ value: inout T, _ key: Key) throws {
        if let given = try decodeIfPresent(T.self, forKey: key) { value = given }
    }
}

/// How config files map onto `ModelConfig` types: snake_case keys on disk, camelCase in Swift.
public enum ModelConfigCoding {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }

    /// A decoding failure as one line naming the config key (as the file spells it); keys under a
    /// job file's `section` are named relative to it.
    public static func describe(_ error: Error, under section: String? = nil) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String {
            let names = keys.map { snakeCase($0.stringValue) }
            return (section != nil && names.first == section ? names.dropFirst() : names[...]).joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            return "config lacks the field '\(path(context.codingPath + [key]))'"
        case let .typeMismatch(_, context):
            return "config field '\(path(context.codingPath))' has the wrong type"
        case let .valueNotFound(_, context):
            return "config field '\(path(context.codingPath))' is null"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "config is not valid JSON"
                : "config field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `hiddenSize` -> `hidden_size`, as `.convertToSnakeCase` writes it.
    static func snakeCase(_ key: String) -> String {
        var out = ""
        for (i, c) in key.enumerated() {
            if c.isUppercase {
                if i > 0 { out.append("_") }
                out.append(contentsOf: c.lowercased())
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// Decodes one family's config from config.json bytes; failures are one readable line.
public func decodeConfig<T: ModelConfig>(_ type: T.Type, from data: Data) throws -> T {
    do {
        return try ModelConfigCoding.decoder().decode(type, from: data)
    } catch let error as ModelConfigError {
        throw error
    } catch {
        throw ModelConfigError(ModelConfigCoding.describe(error))
    }
}
