import SequoiaKit
import SequoiaTensor

/// Epochs of seeded shuffled mini-batches of prediction windows with their outcomes.
public struct LabelledTimelineBatches: TrainingData {
    /// Padded windows and their outcomes, row for row.
    public struct Batch {
        /// The windows, right-padded.
        public let timelines: TimelineBatch
        /// 0 or 1 per row.
        /// The outcome (0/1) of each window.
    public let outcomes: [Int]
    }

    /// Every prediction window.
    public let sequences: [[Int32]]
    public let outcomes: [Int]
    /// Windows per batch.
    public let batchSize: Int
    /// Where the stream stands (checkpointed by the trainer).
    public var position: EpochOrder

    /// Windows with one outcome each, shuffled each epoch from `seed`.
    public init(sequences: [[Int32]], outcomes: [Int], batchSize: Int, seed: UInt64) {
        precondition(sequences.count == outcomes.count && !sequences.isEmpty && batchSize > 0,
                     "LabelledTimelineBatches needs windows, one outcome each, and a positive batch size")
        self.sequences = sequences
        self.outcomes = outcomes
        self.batchSize = batchSize
        position = EpochOrder(count: sequences.count, seed: seed)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { (sequences.count + batchSize - 1) / batchSize }

    /// The next batch; the shuffle is seeded by the position, so `rng` is left untouched.
    public mutating func next(rng: inout RandomGenerator) throws -> Batch {
        let picked = position.next(batchSize)
        return Batch(timelines: TimelineBatch(sequences: picked.map { sequences[$0] }), outcomes: picked.map { outcomes[$0] })
    }
}
