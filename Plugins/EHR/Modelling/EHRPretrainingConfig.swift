import Foundation
import SequoiaKit

/// An `ehr train` config file: the backbone ("model": any registered causal architecture's
/// config.json fields, without `vocab_size`, which the fitted tokenizer sets), the optimisation
/// ("training": `TrainingConfig`), the data recipe ("data") and the tokenizer's options ("tokenizer").
public struct EHRPretrainingConfig {
    /// The "data" section: batching, context length and the held-out evaluation.
    public struct DataRecipe: Codable, Equatable, Sendable {
        /// Timelines per micro-batch (default 8).
        public var batch: Int = 8
        /// Tokens per timeline: the most recent `max_length` tokens (begin token included) are kept,
        /// as at prediction time (default 512; Context Clues runs 512 to 16k).
        public var maxLength: Int = 512
        /// Tuning-split subjects whose next-token loss is measured at each evaluation (default 256).
        public var evalSubjects: Int = 256

        enum CodingKeys: String, CodingKey {
            case batch, maxLength = "max_length", evalSubjects = "eval_subjects"
        }

        /// The defaults shown on each field.
        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            batch = try c.decodeIfPresent(Int.self, forKey: .batch) ?? batch
            maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? maxLength
            evalSubjects = try c.decodeIfPresent(Int.self, forKey: .evalSubjects) ?? evalSubjects
        }
    }

    /// The "model" section as JSON (its `vocab_size` is replaced by the tokenizer's).
    public let model: Data
    /// The "training" section (defaults of `TrainingConfig` where absent).
    public var training: TrainingConfig
    /// The "data" section.
    public var data: DataRecipe
    /// The "tokenizer" section (Context Clues' options; defaults where absent).
    public var tokenizer: TimelineTokenizerOptions

    /// Reads and checks the file; every failure is one `CommandError` line naming the file.
    public init(contentsOf url: URL) throws {
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw CommandError("\(url.path): cannot read the config file")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: bytes)) as? [String: Any] else {
            throw CommandError("\(url.path): not a JSON object")
        }
        guard let model = json["model"] as? [String: Any] else {
            throw CommandError("\(url.path): the config lacks the \"model\" object")
        }
        self.model = try JSONSerialization.data(withJSONObject: model, options: [.sortedKeys])
        func section<T: Decodable>(_ key: String, _ type: T.Type, default value: T) throws -> T {
            guard let object = json[key] else { return value }
            guard object is [String: Any] else { throw CommandError("\(url.path): \"\(key)\" must be an object") }
            do {
                return try JSONDecoder().decode(type, from: JSONSerialization.data(withJSONObject: object))
            } catch let error as TrainingError {
                throw CommandError("\(url.path): \(key): \(error)")
            } catch {
                throw CommandError("\(url.path): \(key): \(Self.explain(error))")
            }
        }
        training = try section("training", TrainingConfig.self, default: TrainingConfig())
        do { try training.validate() } catch { throw CommandError("\(url.path): training: \(error)") }
        data = try section("data", DataRecipe.self, default: DataRecipe())
        tokenizer = try section("tokenizer", TimelineTokenizerOptions.self, default: TimelineTokenizerOptions())
        guard data.batch > 0, data.maxLength >= 2, data.evalSubjects >= 0 else {
            throw CommandError("\(url.path): data needs batch > 0, max_length >= 2 and eval_subjects >= 0 "
                + "(got \(data.batch), \(data.maxLength), \(data.evalSubjects))")
        }
    }

    private static func explain(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): expected \(type)"
        case let .keyNotFound(key, _):
            return "missing key \(key.stringValue)"
        case let .dataCorrupted(context):
            return "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
