import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// `sequoia template embed`: one embedding per line (the final hidden state averaged over the line's
/// bytes), written by the kit's `EmbeddingWriter` in the layout every plugin shares; ids are
/// "line:<number>". Works with any backbone: rows are right-padded and each row's length goes with it.
enum TemplateEmbedOptions {
    static let lines = Option("lines", "FILE", help: "text file, one example a line").required
    static let out = Option("out", "FILE.h5", help: "HDF5 file to create (appears only when complete)").required
    static let batch = Option.int("batch", "N", help: "lines per forward pass", atLeast: 1).defaulting(to: 16)
    static let perPosition = Flag("per-position", help: "also store every byte's hidden state under /per_position/<id>")
}

public let templateEmbedJob = Job(
    name: "embed",
    summary: "embed every line of a text file into HDF5",
    options: [StandardOptions.model, TemplateEmbedOptions.lines, TemplateEmbedOptions.out, TemplateEmbedOptions.batch,
              TemplateEmbedOptions.perPosition]
) { options in
    let modelPath = try options[StandardOptions.model]
    let backbone = try ModelDirectory.load(URL(fileURLWithPath: modelPath)).backbone
    let text = try TextLines(try options[TemplateEmbedOptions.lines], maxLength: backbone.maxLength ?? Int.max)
    let out = try options[TemplateEmbedOptions.out], batchSize = try options[TemplateEmbedOptions.batch]
    let perPosition = options[TemplateEmbedOptions.perPosition]

    let writer = try EmbeddingWriter.create(out, model: modelPath, width: backbone.hiddenSize,
                                            layout: EmbeddingLayout(perItemGroup: "per_position"))
    let progress = ProgressBar(total: text.lines.count, label: "embed", unit: "B")
    for start in stride(from: 0, to: text.lines.count, by: batchSize) {
        let rows = start ..< min(start + batchSize, text.lines.count)
        let batch = TextLines.batch(Array(text.lines[rows]))
        let hidden = backbone.inferring { backbone(IndexTensor(shape: batch.shape, scalars: batch.ids), lengths: batch.lengths) }
        try writer.append(rows.enumerated().map { row, line in
            EmbeddingItem(id: "line:\(text.lineNumbers[line])", states: hidden, row: row, positions: 0..<batch.lengths[row])
        }, perItem: perPosition)
        progress.update(step: rows.upperBound, units: Double(batch.lengths.reduce(0, +)))
    }
    try writer.finish()
    print("embedded \(text.lines.count) line(s) into \(out)")
}
