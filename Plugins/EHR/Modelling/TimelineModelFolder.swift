import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN

/// A timeline model folder: the backbone in the Hugging Face layout (config.json +
/// model.safetensors), the fitted tokenizer (tokenizer.json), the context length (ehr.json) and,
/// after `ehr finetune`, the task head (head.json).
public struct TimelineModelFolder {
    /// File names inside the folder (beside the model's own config.json and model.safetensors).
    public static let tokenizerFile = "tokenizer.json", settingsFile = "ehr.json", headFile = "head.json"

    /// ehr.json: how timelines were turned into model input.
    public struct Settings: Codable, Equatable, Sendable {
        /// Tokens per timeline window (the most recent are kept).
        public var maxLength: Int
        enum CodingKeys: String, CodingKey { case maxLength = "max_length" }
        /// Settings for windows of `maxLength` tokens.
        public init(maxLength: Int) { self.maxLength = maxLength }
    }

    /// The folder.
    public let url: URL
    /// The backbone with its weights loaded.
    public let model: any LanguageModel
    /// The tokenizer fitted at pretraining.
    public let tokenizer: TimelineTokenizer
    /// ehr.json.
    public let settings: Settings

    /// Loads every part, each failure one line naming the file.
    public init(_ url: URL) throws {
        self.url = url
        let configURL = url.appendingPathComponent(ModelDirectory.configFile)
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw CommandError("\(configURL.path): cannot read the model config (is \(url.path) a model folder from `ehr train`?)")
        }
        do {
            model = try ModelDirectory.load(url)
        } catch {
            throw CommandError("\(error)")
        }
        try TimelineBackbone.requireCausal(model.backbone, source: configURL.path)
        let tokenizerURL = url.appendingPathComponent(Self.tokenizerFile)
        do {
            tokenizer = try TimelineTokenizer(contentsOf: tokenizerURL)
        } catch {
            throw CommandError("\(tokenizerURL.path): cannot read the tokenizer (\(error))")
        }
        settings = try Self.readJSON(Settings.self, url.appendingPathComponent(Self.settingsFile))
        guard settings.maxLength >= 2 else {
            throw CommandError("\(url.appendingPathComponent(Self.settingsFile).path): max_length must be >= 2, got \(settings.maxLength)")
        }
    }

    /// Writes a complete folder (each file atomically): `model`'s config and weights under its own names.
    public static func write(to folder: URL, model: any LanguageModel, tokenizer: TimelineTokenizer, settings: Settings) throws {
        try ModelDirectory.write(model, to: folder)
        try tokenizer.save(to: folder.appendingPathComponent(tokenizerFile))
        try writeJSON(settings, to: folder.appendingPathComponent(settingsFile))
    }

    static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(value), to: url)
    }

    static func readJSON<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw CommandError("\(url.path): cannot read") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw CommandError("\(url.path): not a valid \(url.lastPathComponent) (\(error))")
        }
    }
}
