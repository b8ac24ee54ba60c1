import Foundation
import SequoiaNN
import SequoiaTensor

public struct ModelDirectoryError: Error, CustomStringConvertible {
    public let description: String
}

/// A folder holding `config.json` and `model.safetensors` (the Hugging Face layout).
public enum ModelDirectory {
    /// Builds the architecture the config names and loads every weight by name. Aliases of
    /// tied weights (from the model, or the file's `tied_aliases` metadata) need not be stored.
    /// Weights under `ignoring` prefixes are skipped (e.g. a fine-tuned folder's `classifier.`
    /// head when only its backbone is wanted).
    public static func load(_ directory: URL, ignoring prefixes: [String] = []) throws -> any LanguageModel {
        let configURL = directory.appendingPathComponent("config.json")
        let weightsURL = directory.appendingPathComponent("model.safetensors")
        guard let config = FileManager.default.contents(atPath: configURL.path) else {
            throw ModelDirectoryError(description: "\(configURL.path): cannot read the model config")
        }
        let model: any LanguageModel
        do {
            model = try ModelRegistry.shared.build(config: config)
        } catch {
            throw ModelDirectoryError(description: "\(configURL.path): \(error)")
        }
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw ModelDirectoryError(description: "\(weightsURL.path): no such file")
        }
        let report = try model.load(safetensors: weightsURL, strict: false, aliases: model.tiedAliases, ignoring: prefixes)
        if !report.isClean {
            var problems: [String] = []
            if !report.missing.isEmpty { problems.append("missing \(summarize(report.missing))") }
            if !report.unexpected.isEmpty { problems.append("unexpected \(summarize(report.unexpected))") }
            if !report.mismatched.isEmpty {
                problems.append("shape mismatch " + summarize(report.mismatched.map { "\($0.name) (model \($0.expected), file \($0.found))" }))
            }
            throw ModelDirectoryError(description: "\(weightsURL.path) does not fit the config: " + problems.joined(separator: "; "))
        }
        return model
    }

    private static func summarize(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }
}
