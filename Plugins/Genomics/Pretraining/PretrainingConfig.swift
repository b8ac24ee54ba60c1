import Foundation
import SequoiaKit
import SequoiaModels

/// A genomics pretraining config file: the model (its config.json fields, e.g. a HyenaDNA config
/// with `"sequoia_backbone": "hyena"`), the optimisation (`TrainingConfig`), and the data recipe.
public struct PretrainingConfig {
    /// One stage of the sequence-length warm-up: `batch` windows of `length` nt per micro-batch,
    /// for `steps` optimizer steps (the last stage runs to the end).
    public struct Stage: Codable, Equatable, Sendable {
        public var length: Int
        public var batch: Int
        public var steps: Int?
    }

    public struct DataRecipe: Codable, Equatable, Sendable {
        public var stages: [Stage]
        /// Chance that a training window is reverse-complemented (HyenaDNA: 0.5).
        public var reverseComplement: Float = 0.5
        /// Fraction at the end of each record held out for evaluation, or `holdoutEveryRecord`.
        public var holdoutFraction: Double = 0.1
        /// Hold out every k-th whole record instead of the tail of each.
        public var holdoutEveryRecord: Int?

        enum CodingKeys: String, CodingKey {
            case stages, reverseComplement = "reverse_complement", holdoutFraction = "holdout_fraction"
            case holdoutEveryRecord = "holdout_every_record"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            stages = try c.decode([Stage].self, forKey: .stages)
            try c.fill(&reverseComplement, .reverseComplement)
            try c.fill(&holdoutFraction, .holdoutFraction)
            holdoutEveryRecord = try c.decodeIfPresent(Int.self, forKey: .holdoutEveryRecord)
        }

        public var holdOut: HoldOut {
            holdoutEveryRecord.map { .wholeRegions(every: $0) } ?? .tail(fraction: holdoutFraction)
        }

        /// The stage that optimizer step `step` trains with.
        public func stage(at step: Int) -> Int {
            var end = 0
            for (i, s) in stages.enumerated() {
                guard let n = s.steps else { return i }
                end += n
                if step < end { return i }
            }
            return stages.count - 1
        }
    }

    public var model: any ModelConfig
    public var training: TrainingConfig
    public let data: DataRecipe

    public init(contentsOf url: URL) throws {
        let file = try JobConfigFile(contentsOf: url)
        model = try file.model()
        training = try file.training()
        data = try file.section("data")
        guard !data.stages.isEmpty, data.stages.allSatisfy({ $0.length > 1 && $0.batch > 0 && ($0.steps ?? 1) > 0 }) else {
            throw file.error("data.stages needs at least one stage with length > 1, batch > 0 and steps > 0")
        }
    }
}
