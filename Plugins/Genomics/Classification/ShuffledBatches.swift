import SequoiaKit
import SequoiaTensor

/// Epochs of seeded shuffled mini-batches over labelled sequences; every epoch visits each example once,
/// its last batch holding the remainder, so an epoch is ceil(count / batchSize) batches.
public struct ShuffledBatches: TrainingData {
    /// Where the stream stands: the epoch's shuffle follows from (seed, epoch), so three numbers restore it.
    public struct Position: Codable, Equatable, Sendable {
        public var epoch: Int
        /// Examples of this epoch already drawn.
        public var cursor: Int
        public var seed: UInt64
    }

    public let sequences: [[Int32]]
    public let labels: [Int]
    public let batchSize: Int
    public var position: Position
    /// The shuffle of `order`'s epoch, kept so it is drawn once per epoch.
    private var order: (epoch: Int, indices: [Int])?

    public init(sequences: [[Int32]], labels: [Int], batchSize: Int, seed: UInt64) {
        precondition(sequences.count == labels.count && !sequences.isEmpty && batchSize > 0,
                     "ShuffledBatches needs examples, one label each, and a positive batch size")
        self.sequences = sequences
        self.labels = labels
        self.batchSize = batchSize
        position = Position(epoch: 0, cursor: 0, seed: seed)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { (sequences.count + batchSize - 1) / batchSize }

    /// The next batch; shuffling is seeded by the position, so `rng` is left untouched.
    public mutating func next(rng: inout RandomGenerator) throws -> LabelledBatch {
        if position.cursor >= sequences.count {
            position.epoch += 1
            position.cursor = 0
        }
        if order?.epoch != position.epoch { order = (position.epoch, shuffle(epoch: position.epoch)) }
        let picked = order!.indices[position.cursor ..< min(position.cursor + batchSize, sequences.count)]
        position.cursor += picked.count
        return LabelledBatch(sequences: picked.map { sequences[$0] }, labels: picked.map { labels[$0] })
    }

    private func shuffle(epoch: Int) -> [Int] {
        var generator = RandomGenerator(seed: position.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var indices = Array(sequences.indices)
        for i in stride(from: indices.count - 1, to: 0, by: -1) { indices.swapAt(i, generator.nextInt(i + 1)) }
        return indices
    }
}
