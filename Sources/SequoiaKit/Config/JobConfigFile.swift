import Foundation
import SequoiaModels

/// A job's config file: one JSON object of sections, `model` (a model config.json, typed through
/// the model registry), `training` (`TrainingConfig`), `data` and whatever else the plugin reads.
/// Every failure is one `CommandError` line naming the file and the key: `FILE: data.batch: expected Int`.
public struct JobConfigFile {
    public let url: URL
    /// The file's bytes; sections are decoded from them directly.
    public let data: Data
    private let keys: Set<String>
    private let objects: Set<String>

    public var path: String { url.path }

    public init(contentsOf url: URL) throws {
        self.url = url
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CommandError("\(url.path): cannot read the config file")
        }
        self.data = data
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CommandError("\(url.path): not a JSON object")
        }
        keys = Set(object.keys)
        objects = Set(object.compactMap { $0.value is [String: Any] ? $0.key : nil })
    }

    /// Whether the file has a section named `name`.
    public func contains(_ name: String) -> Bool { keys.contains(name) }

    /// The `model` section as its family's typed config; its values are checked when the model is
    /// built, so the job may set fields first (`vocab_size` from a fitted tokenizer).
    public func model() throws -> any ModelConfig {
        try requireObject("model")
        do {
            return try ModelRegistry.shared.config(from: data, section: "model", validate: false)
        } catch {
            throw self.error("model: \(error)")
        }
    }

    /// The `training` section (defaults where absent), checked.
    public func training() throws -> TrainingConfig {
        let config = try section("training", default: TrainingConfig())
        do { try config.validate() } catch let error as TrainingError { throw self.error("training: \(error.message)") }
        return config
    }

    /// The section `name`, which must be present.
    public func section<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try requireObject(name)
        return try decode(name, type)!
    }

    /// The section `name`, or `value` when the file has none.
    public func section<T: Decodable>(_ name: String, default value: T) throws -> T {
        guard contains(name) else { return value }
        try requireObject(name)
        return try decode(name, T.self) ?? value
    }

    /// A failure about this file: `FILE: message`.
    public func error(_ message: String) -> CommandError { CommandError("\(path): \(message)") }

    private func requireObject(_ name: String) throws {
        guard contains(name) else { throw error("the config lacks the \"\(name)\" section") }
        guard objects.contains(name) else { throw error("\"\(name)\" must be an object") }
    }

    private func decode<T: Decodable>(_ name: String, _ type: T.Type) throws -> T? {
        do {
            return try JSONSection<T>.decode(data, key: name)
        } catch let error as TrainingError {
            throw self.error("\(name): \(error.message)")
        } catch let error as DecodingError {
            throw self.error(Self.explain(error))
        }
    }

    /// A decoding failure as `key.path: what was expected`.
    static func explain(_ error: DecodingError) -> String {
        func key(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(key(context.codingPath)): expected \(type == Float.self || type == Double.self ? "a number" : "\(type)")"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(key(context.codingPath)): \(context.debugDescription)"
        case let .keyNotFound(missing, context):
            return "missing key \(key(context.codingPath + [missing]))"
        @unknown default:
            return "\(error)"
        }
    }
}
