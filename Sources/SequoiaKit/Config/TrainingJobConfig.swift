import Foundation
import SequoiaModels

/// What a training job reads from its config file: the model, the optimisation and the plugin's
/// own data section (which checks its values as it decodes, so a bad one is a one-line error
/// naming the file and key like any other).
public struct TrainingJobConfig<DataSection: Decodable> {
    public let file: JobConfigFile
    /// The "model" section; its values are checked when the model is built.
    public var model: any ModelConfig
    /// The "training" section, defaults where absent.
    public var training: TrainingConfig
    /// The "data" section, or `defaultData` when the file has none (then required when nil).
    public var data: DataSection

    public init(contentsOf url: URL, defaultData: DataSection? = nil) throws {
        let file = try JobConfigFile(contentsOf: url)
        self.file = file
        model = try file.model()
        training = try file.training()
        if let defaultData {
            data = try file.section("data", default: defaultData)
        } else {
            data = try file.section("data")
        }
    }

    public var path: String { file.path }
}

extension KeyedDecodingContainer {
    /// A config value out of range, as a decoding error at this container (one line: "section: message").
    public func invalid(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: message))
    }
}
