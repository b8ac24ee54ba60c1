import SequoiaKit
import SequoiaTensor

/// Epochs of seeded shuffled mini-batches over labelled sequences; every epoch visits each example once,
/// its last batch holding the remainder, so an epoch is ceil(count / batchSize) batches.
public struct ShuffledBatches: TrainingData {
    public let sequences: [[Int32]]
    public let labels: [Int]
    public let batchSize: Int
    /// Where the stream stands: the epoch's shuffle follows from (seed, epoch), so three numbers restore it.
    public var position: EpochOrder

    public init(sequences: [[Int32]], labels: [Int], batchSize: Int, seed: UInt64) {
        precondition(sequences.count == labels.count && !sequences.isEmpty && batchSize > 0,
                     "ShuffledBatches needs examples, one label each, and a positive batch size")
        self.sequences = sequences
        self.labels = labels
        self.batchSize = batchSize
        position = EpochOrder(count: sequences.count, seed: seed)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { (sequences.count + batchSize - 1) / batchSize }

    /// The next batch; shuffling is seeded by the position, so `rng` is left untouched.
    public mutating func next(rng: inout RandomGenerator) throws -> LabelledBatch {
        let picked = position.next(batchSize)
        return LabelledBatch(sequences: picked.map { sequences[$0] }, labels: picked.map { labels[$0] })
    }
}
