import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// Embeds genome regions with a language model and writes them to HDF5.
///
/// HDF5 layout (version 1):
///
///     /ids                 [N] variable-length UTF-8 strings: each region's BED name, or "record:start-end"
///                          (0-based, end exclusive) when the BED line has no name or there is no BED
///     /mean                [N, d] float32: the final hidden state (after the last norm) averaged over the region
///     /per_position/<id>   [L, d] float32: that region's final hidden state at every position (only with
///                          --per-position); /mean's row is its mean over L
///     attributes on /:     model (the model folder's path), d_model (d), layout_version (1)
///
/// Rows of /mean follow /ids, in BED (or FASTA record) order.
public struct RegionEmbedder {
    /// The version stored in the `layout_version` attribute.
    public static let layoutVersion = 1

    public let model: any LanguageModel
    /// The model folder, stored in the file's `model` attribute.
    public let modelPath: String
    /// The most tokens in one forward pass: short regions are batched up to this (causal models only, whose
    /// real positions padding cannot reach); a longer region runs alone.
    public var batchLength = 65_536

    public init(model: any LanguageModel, modelPath: String) {
        self.model = model
        self.modelPath = modelPath
    }

    /// Checks every region against the model's maximum length, then embeds them into a new file at `output`,
    /// which appears only once complete. A `CommandError` names the first region that is too long.
    public func embed(_ regions: [EmbeddingRegion], from source: SequenceSource, to output: String,
                      perPosition: Bool, showsProgress: Bool = true) throws {
        if let limit = maximumLength(of: model), let long = regions.first(where: { $0.region.range.count > limit }) {
            throw CommandError("\(long.origin): region '\(long.id)' is \(long.region.range.count) nt, longer than the model's "
                + "maximum length \(limit) (max_seq_len in \(modelPath)/config.json)")
        }
        if perPosition {
            var seen: [String: String] = [:]
            for r in regions {
                if r.id.contains("/") || r.id == "." || r.id == ".." {
                    throw CommandError("\(r.origin): id '\(r.id)' cannot name an HDF5 dataset under /per_position")
                }
                if let first = seen.updateValue(r.origin, forKey: r.id) {
                    throw CommandError("\(r.origin): id '\(r.id)' repeats \(first); /per_position needs unique ids")
                }
            }
        }

        let file = try HDF5File.create(output)
        var means: [Float] = []
        var width = 0
        let progress = showsProgress ? ProgressBar(total: regions.count, label: "embed", unit: "nt") : nil
        model.eval()
        var done = 0
        for group in batches(regions) {
            let sequences = try group.map { NucleotideTokenizer.encode(try source.fetch(record: $0.region.record, range: $0.region.range)) }
            let hidden = GradMode.withoutGrad {
                finalHiddenState(of: model, LabelledBatch.padded(sequences))
            }
            let (l, d) = (hidden.size(1), hidden.size(2))
            width = d
            for (row, region) in group.enumerated() {
                let length = sequences[row].count
                let rows = hidden.pointer + row * l * d
                means += columnMeans(rows, count: length, width: d)
                if perPosition {
                    let positions = Tensor(uninitialized: [length, d])
                    positions.pointer.update(from: rows, count: length * d)
                    try file.root.write("per_position/\(region.id)", positions)
                }
                done += 1
                progress?.update(step: done, units: Double(length))
            }
        }
        try file.root.write("ids", strings: regions.map(\.id))
        try file.root.write("mean", floats: means, shape: [regions.count, width])
        try file.root.setAttribute("model", modelPath)
        try file.root.setAttribute("d_model", width)
        try file.root.setAttribute("layout_version", Self.layoutVersion)
        try file.close()
    }

    /// Consecutive regions that share a forward pass: at most `batchLength` padded tokens, one region
    /// at a time for models that look both ways.
    private func batches(_ regions: [EmbeddingRegion]) -> [ArraySlice<EmbeddingRegion>] {
        var groups: [ArraySlice<EmbeddingRegion>] = []
        var start = 0
        while start < regions.count {
            var end = start + 1, longest = regions[start].region.range.count
            while model.objective == .causal, end < regions.count {
                let candidate = max(longest, regions[end].region.range.count)
                guard candidate * (end - start + 1) <= batchLength else { break }
                longest = candidate
                end += 1
            }
            groups.append(regions[start..<end])
            start = end
        }
        return groups
    }
}
