import Foundation
import SequoiaKit
import SequoiaModels

/// A genomics pretraining config file: the model (its config.json fields, e.g. a HyenaDNA config
/// with `"sequoia_backbone": "hyena"`), the optimisation (`TrainingConfig`), and the data recipe.
public typealias PretrainingConfig = TrainingJobConfig<GenomeDataRecipe>

/// One stage of the sequence-length warm-up: `batch` windows of `length` nt per micro-batch,
/// for `steps` optimizer steps (the last stage runs to the end).
public struct LengthStage: Codable, Equatable, Sendable {
    public var length: Int
    public var batch: Int
    public var steps: Int?
}

/// The "data" section of a pretraining config: the length warm-up, augmentation and the held-out part.
public struct GenomeDataRecipe: Codable, Equatable, Sendable {
    public var stages: [LengthStage]
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
        stages = try c.decode([LengthStage].self, forKey: .stages)
        try c.fill(&reverseComplement, .reverseComplement)
        try c.fill(&holdoutFraction, .holdoutFraction)
        holdoutEveryRecord = try c.decodeIfPresent(Int.self, forKey: .holdoutEveryRecord)
        guard !stages.isEmpty, stages.allSatisfy({ $0.length > 1 && $0.batch > 0 && ($0.steps ?? 1) > 0 }) else {
            throw c.invalid("stages needs at least one stage with length > 1, batch > 0 and steps > 0")
        }
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
