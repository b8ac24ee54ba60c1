import Foundation
import SequoiaNN

/// Optimisation settings of a training run, read from JSON with snake_case keys; every key is
/// optional and falls back to the default shown on its property.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// Learning-rate shape after warm-up.
    public enum Schedule: String, Codable, Sendable, CaseIterable {
        case cosine, linear, constant
    }

    /// Optimizer steps in the whole run (default 1000).
    public var steps: Int
    /// Peak learning rate (default 6e-4).
    public var learningRate: Float
    /// AdamW decoupled weight decay on matrices; vectors, norms and biases are spared (default 0.1).
    public var weightDecay: Float
    /// AdamW (beta1, beta2) (default [0.9, 0.999]).
    public var betas: [Double]
    /// AdamW denominator epsilon (default 1e-8).
    public var eps: Double
    /// Steps of linear warm-up to the peak (default 0).
    public var warmupSteps: Int
    /// Decay after warm-up (default cosine).
    public var schedule: Schedule
    /// Final learning rate as a fraction of the peak, for cosine and linear (default 0.1).
    public var minLrRatio: Float
    /// Maximum global gradient norm; 0 turns clipping off (default 1.0).
    public var gradClip: Double
    /// Micro-batches whose gradients add up to one optimizer step (default 1).
    public var accumulation: Int
    /// Steps between checkpoints; 0 checkpoints only at the end and on Ctrl-C (default 1000).
    public var checkpointEvery: Int
    /// Steps between metrics lines (default 10).
    public var logEvery: Int
    /// Steps between evaluations when an evaluation is given; 0 never (default 0).
    public var evalEvery: Int
    /// Checkpoint folders kept on disk, newest first (default 3).
    public var keepCheckpoints: Int
    /// Seed of the trainer's generator, which draws batches and any randomness in the loss (default 0).
    public var seed: UInt64

    /// Fields that only change bookkeeping, so a resumed run may change them freely.
    static let bookkeepingKeys: Set<String> = ["steps", "log_every", "checkpoint_every", "eval_every", "keep_checkpoints"]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case steps, betas, eps, schedule, seed
        case learningRate = "learning_rate", weightDecay = "weight_decay", warmupSteps = "warmup_steps"
        case minLrRatio = "min_lr_ratio", gradClip = "grad_clip", accumulation
        case checkpointEvery = "checkpoint_every", logEvery = "log_every", evalEvery = "eval_every"
        case keepCheckpoints = "keep_checkpoints"
    }

    public init(steps: Int = 1000, learningRate: Float = 6e-4, weightDecay: Float = 0.1, betas: [Double] = [0.9, 0.999],
                eps: Double = 1e-8, warmupSteps: Int = 0, schedule: Schedule = .cosine, minLrRatio: Float = 0.1,
                gradClip: Double = 1.0, accumulation: Int = 1, checkpointEvery: Int = 1000, logEvery: Int = 10,
                evalEvery: Int = 0, keepCheckpoints: Int = 3, seed: UInt64 = 0) {
        self.steps = steps
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.betas = betas
        self.eps = eps
        self.warmupSteps = warmupSteps
        self.schedule = schedule
        self.minLrRatio = minLrRatio
        self.gradClip = gradClip
        self.accumulation = accumulation
        self.checkpointEvery = checkpointEvery
        self.logEvery = logEvery
        self.evalEvery = evalEvery
        self.keepCheckpoints = keepCheckpoints
        self.seed = seed
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingConfig()
        if let name = try c.decodeIfPresent(String.self, forKey: .schedule) {
            guard let s = Schedule(rawValue: name) else {
                throw TrainingError.invalidConfig("schedule must be one of cosine, linear, constant; got \"\(name)\"")
            }
            schedule = s
        } else {
            schedule = d.schedule
        }
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? d.steps
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        betas = try c.decodeIfPresent([Double].self, forKey: .betas) ?? d.betas
        eps = try c.decodeIfPresent(Double.self, forKey: .eps) ?? d.eps
        warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps) ?? d.warmupSteps
        minLrRatio = try c.decodeIfPresent(Float.self, forKey: .minLrRatio) ?? d.minLrRatio
        gradClip = try c.decodeIfPresent(Double.self, forKey: .gradClip) ?? d.gradClip
        accumulation = try c.decodeIfPresent(Int.self, forKey: .accumulation) ?? d.accumulation
        checkpointEvery = try c.decodeIfPresent(Int.self, forKey: .checkpointEvery) ?? d.checkpointEvery
        logEvery = try c.decodeIfPresent(Int.self, forKey: .logEvery) ?? d.logEvery
        evalEvery = try c.decodeIfPresent(Int.self, forKey: .evalEvery) ?? d.evalEvery
        keepCheckpoints = try c.decodeIfPresent(Int.self, forKey: .keepCheckpoints) ?? d.keepCheckpoints
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
    }

    /// Throws `TrainingError.invalidConfig` naming the first field out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw TrainingError.invalidConfig(message()) }
        }
        try check(steps >= 0, "steps must be >= 0, got \(steps)")
        try check(learningRate.isFinite && learningRate >= 0, "learning_rate must be >= 0, got \(learningRate)")
        try check(weightDecay.isFinite && weightDecay >= 0, "weight_decay must be >= 0, got \(weightDecay)")
        try check(betas.count == 2 && betas.allSatisfy { $0 >= 0 && $0 < 1 }, "betas must be two numbers in [0, 1), got \(betas)")
        try check(eps > 0, "eps must be > 0, got \(eps)")
        try check(warmupSteps >= 0, "warmup_steps must be >= 0, got \(warmupSteps)")
        try check(minLrRatio >= 0 && minLrRatio <= 1, "min_lr_ratio must be in [0, 1], got \(minLrRatio)")
        try check(gradClip >= 0, "grad_clip must be >= 0 (0 = off), got \(gradClip)")
        try check(accumulation >= 1, "accumulation must be >= 1, got \(accumulation)")
        try check(checkpointEvery >= 0, "checkpoint_every must be >= 0, got \(checkpointEvery)")
        try check(logEvery >= 1, "log_every must be >= 1, got \(logEvery)")
        try check(evalEvery >= 0, "eval_every must be >= 0, got \(evalEvery)")
        try check(keepCheckpoints >= 1, "keep_checkpoints must be >= 1, got \(keepCheckpoints)")
    }

    /// The learning rate at each optimizer step (0-based).
    public var learningRateSchedule: LearningRateSchedule {
        switch schedule {
        case .constant:
            return warmupSteps > 0
                ? .warmupLinear(peak: learningRate, warmupSteps: warmupSteps, totalSteps: warmupSteps, minRatio: 1)
                : .constant(learningRate)
        case .cosine:
            return .warmupCosine(peak: learningRate, warmupSteps: warmupSteps, totalSteps: steps, minRatio: minLrRatio)
        case .linear:
            return .warmupLinear(peak: learningRate, warmupSteps: warmupSteps, totalSteps: steps, minRatio: minLrRatio)
        }
    }

    /// JSON keys whose values differ from `other`'s, sorted.
    public func differences(from other: TrainingConfig) -> [String] {
        let a = jsonObject(), b = other.jsonObject()
        return Set(a.keys).union(b.keys).filter { !(a[$0] as? NSObject).isEqualOrBothNil(b[$0] as? NSObject) }.sorted()
    }

    private func jsonObject() -> [String: Any] {
        guard let data = try? JSONEncoder().encode(self),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }
}

private extension Optional where Wrapped == NSObject {
    func isEqualOrBothNil(_ other: NSObject?) -> Bool {
        switch (self, other) {
        case (nil, nil): return true
        case let (a?, b?): return a.isEqual(b)
        default: return false
        }
    }
}
