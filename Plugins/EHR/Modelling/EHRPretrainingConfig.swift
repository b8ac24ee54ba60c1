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
            guard batch > 0, maxLength >= 2, evalSubjects >= 0 else {
                throw c.invalid("needs batch > 0, max_length >= 2 and eval_subjects >= 0 (got \(batch), \(maxLength), \(evalSubjects))")
            }
        }
    }

    /// The model, training and data sections.
    public var job: TrainingJobConfig<DataRecipe>
    /// The "tokenizer" section (Context Clues' options; defaults where absent).
    public var tokenizer: TimelineTokenizerOptions

    /// Reads and checks the file; every failure is one `CommandError` line naming the file.
    public init(contentsOf url: URL) throws {
        job = try TrainingJobConfig(contentsOf: url, defaultData: DataRecipe())
        tokenizer = try job.file.section("tokenizer", default: TimelineTokenizerOptions())
    }

    /// The "model" section (its `vocab_size`, when absent, is a placeholder until the tokenizer sets it).
    public var model: any ModelConfig { job.model }
    public var training: TrainingConfig {
        get { job.training }
        set { job.training = newValue }
    }
    public var data: DataRecipe { job.data }
}
