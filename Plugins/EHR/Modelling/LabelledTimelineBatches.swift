import SequoiaKit
import SequoiaTensor

/// Epochs of seeded shuffled mini-batches of prediction windows with their outcomes.
public struct LabelledTimelineBatches: TrainingData {
    public struct Batch {
        public let timelines: TimelineBatch
        public let outcomes: [Int]
    }

    public let sequences: [[Int32]]
    public let outcomes: [Int]
    public let batchSize: Int
    public var position: EpochOrder

    public init(sequences: [[Int32]], outcomes: [Int], batchSize: Int, seed: UInt64) {
        precondition(sequences.count == outcomes.count && !sequences.isEmpty && batchSize > 0,
                     "LabelledTimelineBatches needs windows, one outcome each, and a positive batch size")
        self.sequences = sequences
        self.outcomes = outcomes
        self.batchSize = batchSize
        position = EpochOrder(count: sequences.count, seed: seed)
    }

    public var batchesPerEpoch: Int { (sequences.count + batchSize - 1) / batchSize }

    public mutating func next(rng: inout RandomGenerator) throws -> Batch {
        let picked = position.next(batchSize)
        return Batch(timelines: TimelineBatch(sequences: picked.map { sequences[$0] }), outcomes: picked.map { outcomes[$0] })
    }
}
