import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// The final hidden state at the last real token of each sequence: a causal backbone's summary of
/// everything up to the prediction time. Right padding cannot reach it (the model is causal), and
/// sequences are batched in order of length so each batch pads little.
public enum TimelineRepresentations {
    /// Row-major [sequences.count, d], in the order given; `progress` is told how many rows each
    /// batch finished. Runs in eval mode without gradients (the backbone's mode is restored).
    public static func compute(_ backbone: any Backbone, sequences: [[Int32]], batchSize: Int,
                               progress: ((Int) -> Void)? = nil) -> (features: [Float], width: Int) {
        precondition(batchSize > 0, "batch size must be positive")
        let width = backbone.hiddenSize
        var features = [Float](repeating: 0, count: sequences.count * width)
        let order = sequences.indices.sorted { (sequences[$0].count, $0) < (sequences[$1].count, $1) }
        backbone.inferring {
            for start in stride(from: 0, to: order.count, by: batchSize) {
                let rows = order[start ..< min(start + batchSize, order.count)]
                let batch = TimelineBatch(sequences: rows.map { sequences[$0] })
                let hidden = backbone(batch.ids, lengths: batch.lengths)
                let length = batch.ids.shape[1]
                features.withUnsafeMutableBufferPointer { out in
                    for (r, index) in rows.enumerated() {
                        let last = hidden.pointer + (r * length + batch.lengths[r] - 1) * width
                        (out.baseAddress! + index * width).update(from: last, count: width)
                    }
                }
                progress?(rows.count)
            }
        }
        return (features, width)
    }
}
