import SequoiaKit
import SequoiaTensor

/// Masked-LM training batches over tokenised sequences (proteins, or graph-walk contexts),
/// bucketed by length so little of a batch is padding.
///
/// Each epoch shuffles the sequences with a generator seeded by (seed, epoch), sorts pools of
/// `poolBatches` batches by length, cuts them into batches of `batchSize` and shuffles the batch
/// order; so the batch order is a pure function of (seed, epoch) and `Position` (epoch, batch) is
/// all a resumed run needs. A sequence longer than `maxLength` tokens is cropped to a random
/// window of `maxLength` tokens (ESM's recipe: the window may cut off <cls> or <eos>); the crop
/// and the masking draw from the trainer's generator, which the trainer checkpoints.
public struct ProteinBatches: TrainingData {
    public struct Position: Codable, Equatable {
        public var epoch: Int
        /// Batches of this epoch already drawn.
        public var batch: Int
    }

    public let sequences: [[Int32]]
    public let batchSize: Int
    public let maxLength: Int
    public let masking: ResidueMasking
    public let seed: UInt64
    /// Batches per length-sorted pool.
    public let poolBatches: Int
    public let padId: Int32
    public var position = Position(epoch: 0, batch: 0) {
        didSet { if position.epoch != oldValue.epoch { order = Self.epochOrder(self, position.epoch) } }
    }
    private var order: [[Int]] = []

    public init(sequences: [[Int32]], batchSize: Int, maxLength: Int, masking: ResidueMasking = ResidueMasking(),
                seed: UInt64, poolBatches: Int = 50, padId: Int32 = 1) throws {
        guard !sequences.isEmpty else { throw CommandError("no sequences to train on") }
        guard batchSize > 0, maxLength > 2 else { throw CommandError("batch must be > 0 and max_length > 2") }
        self.sequences = sequences
        self.batchSize = batchSize
        self.maxLength = maxLength
        self.masking = masking
        self.seed = seed
        self.poolBatches = max(1, poolBatches)
        self.padId = padId
        order = Self.epochOrder(self, 0)
    }

    /// Sequence indices of each batch of `epoch`.
    static func epochOrder(_ data: ProteinBatches, _ epoch: Int) -> [[Int]] {
        var rng = RandomGenerator(seed: data.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var indices = Array(data.sequences.indices)
        indices.shuffle(using: &rng)
        var batches: [[Int]] = []
        let pool = data.batchSize * data.poolBatches
        for start in stride(from: 0, to: indices.count, by: pool) {
            let sorted = indices[start..<min(start + pool, indices.count)]
                .sorted { (data.sequences[$0].count, $0) < (data.sequences[$1].count, $1) }
            for b in stride(from: 0, to: sorted.count, by: data.batchSize) {
                batches.append(Array(sorted[b..<min(b + data.batchSize, sorted.count)]))
            }
        }
        batches.shuffle(using: &rng)
        return batches
    }

    /// Batches in one epoch.
    public var batchesPerEpoch: Int { order.count }

    public mutating func next(rng: inout RandomGenerator) throws -> MaskedBatch {
        if position.batch >= order.count { position = Position(epoch: position.epoch + 1, batch: 0) }
        let members = order[position.batch]
        position.batch += 1
        return makeBatch(members.map { sequences[$0] }, rng: &rng)
    }

    /// Crops, corrupts and pads the given sequences.
    public func makeBatch(_ rows: [[Int32]], rng: inout RandomGenerator) -> MaskedBatch {
        var corrupted: [[Int32]] = [], labels: [[Int32]] = []
        for row in rows {
            var ids = row
            if ids.count > maxLength {
                let start = rng.nextInt(ids.count - maxLength + 1)
                ids = Array(ids[start..<start + maxLength])
            }
            labels.append(masking.apply(to: &ids, rng: &rng))
            corrupted.append(ids)
        }
        return MaskedBatch(rows: corrupted, labels: labels, padId: padId)
    }
}
