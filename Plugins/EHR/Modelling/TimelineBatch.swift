import SequoiaKit
import SequoiaTensor

/// Token sequences right-padded with [PAD] into one batch, with next-token labels that ignore padding.
public struct TimelineBatch {
    /// Token ids [B, L], L the longest row.
    public let ids: IndexTensor
    /// The ids with padding replaced by -100, so the causal loss skips it: [B, L].
    public let labels: IndexTensor
    /// Real (unpadded) length of each row.
    public let lengths: [Int]
    /// Events the rows' tokens stand for (for events/s).
    public let eventCount: Int

    /// Pads `sequences` (each non-empty).
    public init(sequences: [[Int32]], eventCount: Int = 0) {
        precondition(!sequences.isEmpty && sequences.allSatisfy { !$0.isEmpty }, "a batch needs non-empty sequences")
        let width = sequences.map(\.count).max()!
        var ids = [Int32](repeating: TimelineTokenizer.pad, count: sequences.count * width)
        var labels = [Int32](repeating: -100, count: sequences.count * width)
        for (row, sequence) in sequences.enumerated() {
            ids.replaceSubrange(row * width ..< row * width + sequence.count, with: sequence)
            labels.replaceSubrange(row * width ..< row * width + sequence.count, with: sequence)
        }
        self.ids = IndexTensor(shape: [sequences.count, width], scalars: ids)
        self.labels = IndexTensor(shape: [sequences.count, width], scalars: labels)
        lengths = sequences.map(\.count)
        self.eventCount = eventCount
    }

    /// Seeded shuffled epochs of batches of `batchSize` encoded timelines for next-token pretraining
    /// (exact resume through the position).
    public static func epochs(_ timelines: EncodedTimelines, batchSize: Int, seed: UInt64) -> EpochBatches<([Int32], Int), TimelineBatch> {
        EpochBatches(Array(zip(timelines.sequences, timelines.eventCounts)), batchSize: batchSize, seed: seed) {
            TimelineBatch(sequences: $0.map(\.0), eventCount: $0.reduce(0) { $0 + $1.1 })
        }
    }

    /// Real tokens in the batch.
    public var tokenCount: Int { lengths.reduce(0, +) }

    /// Next-token targets the causal loss scores: each row's real tokens after its first.
    public var targetCount: Int { lengths.reduce(0) { $0 + $1 - 1 } }
}
