import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// Embeds genome regions with a backbone and writes them to HDF5 in the kit's embedding layout
/// (`EmbeddingWriter`, version 1), with per-position states under /per_position:
///
///     /ids                 [N] each region's BED name, or "record:start-end" (0-based, end exclusive)
///                          when the BED line has no name or there is no BED
///     /mean                [N, d] the final hidden state (after the last norm) averaged over the region
///     /per_position/<id>   [L, d] that region's final hidden state at every position (only with --per-position)
///     attributes on /:     model (the model folder's path), d_model (d), layout_version (1)
///
/// Rows of /mean follow /ids, in BED (or FASTA record) order.
public struct RegionEmbedder {
    public static let layout = EmbeddingLayout(perItemGroup: "per_position")

    public let backbone: any Backbone
    /// The model folder, stored in the file's `model` attribute.
    public let modelPath: String
    /// The most tokens in one forward pass: short regions are batched up to this, right-padded (each row's
    /// length goes with it, so padding reaches no real position in either direction); a longer region runs alone.
    public var batchLength = 65_536

    public init(backbone: any Backbone, modelPath: String) {
        self.backbone = backbone
        self.modelPath = modelPath
    }

    /// Checks every region against the model's maximum length, then embeds them into a new file at `output`,
    /// which appears only once complete. A `CommandError` names the first region that is too long.
    public func embed(_ regions: [EmbeddingRegion], from source: SequenceSource, to output: String,
                      perPosition: Bool, showsProgress: Bool = true) throws {
        for r in regions { try backbone.checkLength(r.region.range.count, "\(r.origin): region '\(r.id)' (\(r.region.range.count) nt)") }
        if perPosition {
            var seen: [String: String] = [:]
            for r in regions {
                if let problem = EmbeddingWriter.datasetNameProblem(r.id, group: Self.layout.perItemGroup) {
                    throw CommandError("\(r.origin): \(problem)")
                }
                if let first = seen.updateValue(r.origin, forKey: r.id) {
                    throw CommandError("\(r.origin): id '\(r.id)' repeats \(first); /per_position needs unique ids")
                }
            }
        }

        let writer = try EmbeddingWriter.create(output, model: modelPath, width: backbone.hiddenSize, layout: Self.layout)
        let progress = showsProgress ? ProgressBar(total: regions.count, label: "embed", unit: "nt") : nil
        var done = 0
        for group in batches(regions[...], maxTokens: batchLength, length: { $0.region.range.count }) {
            let sequences = try group.map { NucleotideTokenizer.encode(try source.fetch(record: $0.region.record, range: $0.region.range)) }
            let hidden = backbone.inferring { backbone(LabelledBatch.padded(sequences), lengths: sequences.map(\.count)) }
            try writer.append(zip(group, sequences).enumerated().map { row, item in
                EmbeddingItem(id: item.0.id, states: hidden, row: row, positions: 0..<item.1.count)
            }, perItem: perPosition)
            for sequence in sequences {
                done += 1
                progress?.update(step: done, units: Double(sequence.count))
            }
        }
        try writer.finish()
    }

}
