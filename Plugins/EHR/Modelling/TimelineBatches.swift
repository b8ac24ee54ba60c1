import SequoiaKit
import SequoiaTensor

/// Epochs of seeded shuffled mini-batches of encoded timelines for next-token pretraining.
public struct TimelineBatches: TrainingData {
    /// The training windows.
    public let timelines: EncodedTimelines
    /// Windows per batch.
    public let batchSize: Int
    /// Where the stream stands (checkpointed by the trainer).
    public var position: EpochOrder

    /// Batches over `timelines` (at least one), shuffled each epoch from `seed`.
    public init(_ timelines: EncodedTimelines, batchSize: Int, seed: UInt64) {
        precondition(timelines.count > 0 && batchSize > 0, "TimelineBatches needs timelines and a positive batch size")
        self.timelines = timelines
        self.batchSize = batchSize
        position = EpochOrder(count: timelines.count, seed: seed)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { (timelines.count + batchSize - 1) / batchSize }

    /// The next batch; the shuffle is seeded by the position, so `rng` is left untouched.
    public mutating func next(rng: inout RandomGenerator) throws -> TimelineBatch {
        let picked = position.next(batchSize)
        return TimelineBatch(sequences: picked.map { timelines.sequences[$0] },
                             eventCount: picked.reduce(0) { $0 + timelines.eventCounts[$1] })
    }
}
