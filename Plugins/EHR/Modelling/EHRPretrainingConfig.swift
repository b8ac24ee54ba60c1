import Foundation
import SequoiaKit
import SequoiaModels

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
            try c.fill(&batch, .batch)
            try c.fill(&maxLength, .maxLength)
            try c.fill(&evalSubjects, .evalSubjects)
        }
    }

    /// The "model" section (its `vocab_size`, when absent, is a placeholder until the tokenizer sets it).
    public var model: any ModelConfig
    /// The "training" section (defaults of `TrainingConfig` where absent).
    public var training: TrainingConfig
    /// The "data" section.
    public var data: DataRecipe
    /// The "tokenizer" section (Context Clues' options; defaults where absent).
    public var tokenizer: TimelineTokenizerOptions

    /// Reads and checks the file; every failure is one `CommandError` line naming the file.
    public init(contentsOf url: URL) throws {
        let file = try JobConfigFile(contentsOf: url)
        model = try file.model()
        training = try file.training()
        data = try file.section("data", default: DataRecipe())
        tokenizer = try file.section("tokenizer", default: TimelineTokenizerOptions())
        guard data.batch > 0, data.maxLength >= 2, data.evalSubjects >= 0 else {
            throw file.error("data needs batch > 0, max_length >= 2 and eval_subjects >= 0 "
                + "(got \(data.batch), \(data.maxLength), \(data.evalSubjects))")
        }
    }
}
