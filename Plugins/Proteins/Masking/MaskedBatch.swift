import SequoiaTensor

/// A right-padded batch of corrupted sequences with their masked-LM labels.
public struct MaskedBatch {
    /// Corrupted token ids [B, L], right-padded with <pad>.
    public var ids: IndexTensor
    /// Original ids at the chosen positions, -100 elsewhere (padding included) [B, L].
    public var labels: IndexTensor
    /// Real length of each row, for the model's padding-safe forward.
    public var lengths: [Int]

    /// Number of positions the loss scores.
    public var labelledCount: Int { labels.scalars.reduce(0) { $1 == ResidueMasking.ignoredLabel ? $0 : $0 + 1 } }

    /// Pads `rows` (already corrupted) and their labels to the longest row.
    public init(rows: [[Int32]], labels rowLabels: [[Int32]], padId: Int32) {
        let width = rows.map(\.count).max() ?? 0
        var ids = [Int32](), labels = [Int32]()
        ids.reserveCapacity(rows.count * width)
        labels.reserveCapacity(rows.count * width)
        for (row, rowLabel) in zip(rows, rowLabels) {
            ids += row + [Int32](repeating: padId, count: width - row.count)
            labels += rowLabel + [Int32](repeating: ResidueMasking.ignoredLabel, count: width - row.count)
        }
        self.ids = IndexTensor(shape: [rows.count, width], scalars: ids)
        self.labels = IndexTensor(shape: [rows.count, width], scalars: labels)
        lengths = rows.map(\.count)
    }
}
