import Foundation
import SequoiaNN
import SequoiaTensor

public struct ModelDirectoryError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A folder holding `config.json` and `model.safetensors` (the Hugging Face layout).
public enum ModelDirectory {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"

    /// The typed config of a model folder.
    public static func config(_ directory: URL) throws -> any ModelConfig {
        let configURL = directory.appendingPathComponent(configFile)
        guard let data = FileManager.default.contents(atPath: configURL.path) else {
            throw ModelDirectoryError(description: "\(configURL.path): cannot read the model config")
        }
        do {
            return try ModelRegistry.shared.config(from: data)
        } catch {
            throw ModelDirectoryError(description: "\(configURL.path): \(error)")
        }
    }

    /// Builds the architecture the config names and loads every weight by name. Aliases of
    /// tied weights (from the model, or the file's `tied_aliases` metadata) need not be stored.
    /// Weights under `ignoring` prefixes are skipped (e.g. a fine-tuned folder's `classifier.`
    /// head when only its backbone is wanted).
    public static func load(_ directory: URL, ignoring prefixes: [String] = []) throws -> any LanguageModel {
        let config = try config(directory)
        let model: any LanguageModel
        do {
            model = try ModelRegistry.shared.build(config)
        } catch {
            throw ModelDirectoryError(description: "\(directory.appendingPathComponent(configFile).path): \(error)")
        }
        try loadWeights(into: model, from: directory, aliases: model.tiedAliases, ignoring: prefixes)
        return model
    }

    /// Loads `directory`'s model.safetensors into `module` (a model, or a head around one, whose
    /// names it must match), failing with one line that says what does not fit.
    public static func loadWeights(into module: Module, from directory: URL, aliases: [String: String] = [:],
                                   ignoring prefixes: [String] = []) throws {
        let weightsURL = directory.appendingPathComponent(weightsFile)
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw ModelDirectoryError(description: "\(weightsURL.path): no such file")
        }
        let report = try module.load(safetensors: weightsURL, strict: false, aliases: aliases, ignoring: prefixes)
        if !report.isClean {
            var problems: [String] = []
            if !report.missing.isEmpty { problems.append("missing \(summarize(report.missing))") }
            if !report.unexpected.isEmpty { problems.append("unexpected \(summarize(report.unexpected))") }
            if !report.mismatched.isEmpty {
                problems.append("shape mismatch " + summarize(report.mismatched.map { "\($0.name) (model \($0.expected), file \($0.found))" }))
            }
            throw ModelDirectoryError(description: "\(weightsURL.path) does not fit the config: " + problems.joined(separator: "; "))
        }
    }

    /// Writes config.json (the model's config, with its family's names) and model.safetensors into
    /// `directory`, each atomically. `weights` is what is saved, by default the model itself (a
    /// head around the model saves the model's names plus its own).
    public static func write(_ model: any LanguageModel, weights: Module? = nil, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try AtomicFile.write(try ModelRegistry.shared.encode(model.config), to: directory.appendingPathComponent(configFile))
        try (weights ?? model).save(safetensors: directory.appendingPathComponent(weightsFile))
    }

    private static func summarize(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}
