import SequoiaKit
import SequoiaTensor

/// A mini-batch of labelled token sequences, right-padded with [PAD] to the longest one.
public struct LabelledBatch {
    /// Token ids [B, L].
    public let ids: IndexTensor
    /// Real (unpadded) length of each row.
    public let lengths: [Int]
    /// Class index of each row, [B].
    public let labels: IndexTensor

    /// Pads `sequences` (each non-empty) into one batch with their class indices.
    public init(sequences: [[Int32]], labels: [Int]) {
        precondition(sequences.count == labels.count, "a batch needs as many labels as sequences")
        ids = Self.padded(sequences)
        lengths = sequences.map(\.count)
        self.labels = IndexTensor(shape: [labels.count], scalars: labels.map(Int32.init))
    }

    /// `sequences` (at least one) right-padded with [PAD] into ids [B, longest].
    public static func padded(_ sequences: [[Int32]]) -> IndexTensor {
        precondition(!sequences.isEmpty, "padding needs at least one sequence")
        let width = sequences.map(\.count).max()!
        var ids = [Int32](repeating: NucleotideTokenizer.pad, count: sequences.count * width)
        for (row, sequence) in sequences.enumerated() {
            ids.replaceSubrange(row * width ..< row * width + sequence.count, with: sequence)
        }
        return IndexTensor(shape: [sequences.count, width], scalars: ids)
    }

    /// Seeded shuffled epochs of batches of `batchSize` over labelled sequences (exact resume through the position).
    public static func epochs(sequences: [[Int32]], labels: [Int], batchSize: Int,
                              seed: UInt64) -> EpochBatches<([Int32], Int), LabelledBatch> {
        EpochBatches(Array(zip(sequences, labels)), batchSize: batchSize, seed: seed) {
            LabelledBatch(sequences: $0.map(\.0), labels: $0.map(\.1))
        }
    }

    /// Real tokens in the batch (padding excluded).
    public var tokenCount: Int { lengths.reduce(0, +) }
}
