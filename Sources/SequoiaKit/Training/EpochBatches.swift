import SequoiaTensor

/// Training batches drawn in seeded shuffled epochs over a list of examples (`EpochOrder`): every
/// epoch visits each example once, its last batch holding the remainder, so an epoch is
/// ceil(count / batchSize) batches. `assemble` turns the chosen examples into a batch (pads them,
/// stacks their labels). The position is the epoch order's three numbers, so a checkpoint
/// restores the stream exactly; the trainer's generator is left untouched.
public struct EpochBatches<Example, Batch>: TrainingData {
    public let examples: [Example]
    public let batchSize: Int
    public var position: EpochOrder
    private let assemble: ([Example]) -> Batch

    /// Batches of `batchSize` (> 0) over `examples` (at least one), shuffled each epoch from `seed`.
    public init(_ examples: [Example], batchSize: Int, seed: UInt64, assemble: @escaping ([Example]) -> Batch) {
        precondition(!examples.isEmpty && batchSize > 0, "EpochBatches needs examples and a positive batch size")
        self.examples = examples
        self.batchSize = batchSize
        self.assemble = assemble
        position = EpochOrder(count: examples.count, seed: seed)
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { (examples.count + batchSize - 1) / batchSize }

    public mutating func next(rng: inout RandomGenerator) throws -> Batch {
        assemble(position.next(batchSize).map { examples[$0] })
    }
}
