import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// Embeds the proteins of a FASTA file with a masked protein model's backbone (BiMamba-S, LC-PLM), streaming
/// them into HDF5 in the kit's embedding layout (`EmbeddingWriter`):
///
///     /ids                 [N] UTF-8 strings: each record's id (the header's first word)
///     /accessions          [N] UTF-8 strings: the UniProt accession of `sp|ACC|NAME` ids, "" otherwise
///     /mean                [N, d] float32: the chosen hidden state averaged over the residues (<cls>, <eos> excluded)
///     /per_residue/<id>    [L, d] float32: that hidden state at each of the L residues (only with --per-residue)
///     attributes on /:     model (folder path), d_model (d), layer, per_residue (0/1), layout_version (1)
///
/// `layer` indexes the backbone's hidden states: 0..<n_layer is the residual stream after block layer+1,
/// n_layer (the default) the final state after norm_f. Rows of /mean and /accessions follow /ids, which is
/// not input order (FASTA order, or the ids file's with `embed(fasta:ids:...)`): each chunk of `chunkSize`
/// records is sorted by length before batching. Rows are appended batch by batch, ids last, then flushed;
/// a re-run with the same output skips ids already in /ids and drops rows a crash left past the last id.
public struct ProteinEmbedder {
    public let backbone: any Backbone
    /// The model folder, stored in the file's `model` attribute.
    public let modelPath: String
    /// The most tokens (padded length x rows) in one forward pass; a longer protein runs alone.
    public var maxTokens = 16_384
    /// Which hidden state to embed (see the type's documentation); nil means the final one.
    public var layer: Int?
    /// Records read, sorted by length and batched together: wider groups waste less padding.
    public var chunkSize = 2_048

    public init(backbone: any Backbone, modelPath: String) {
        self.backbone = backbone
        self.modelPath = modelPath
    }

    /// The hidden-state index used: `layer`, or n_layer.
    public var layerIndex: Int { layer ?? backbone.layerCount }

    /// The file layout for this run's options.
    func layout(perResidue: Bool) -> EmbeddingLayout {
        EmbeddingLayout(perItemGroup: "per_residue", stringColumns: ["accessions"],
                        attributes: [("layer", layerIndex), ("per_residue", perResidue ? 1 : 0)])
    }

    /// Embeds every record of `fasta` not already in `output` (created if missing); returns how many
    /// were embedded and how many skipped. The whole FASTA is validated before anything is written.
    @discardableResult
    public func embed(fasta: String, to output: String, perResidue: Bool,
                      showsProgress: Bool = true) throws -> (embedded: Int, skipped: Int) {
        try checkModel()
        var ids: [String] = []
        try ProteinFastaReader(fasta).forEach { record in
            try checkDatasetName(record.id, in: fasta, perResidue: perResidue)
            ids.append(record.id)
        }
        let writer = try EmbeddingWriter.extend(output, model: modelPath, width: backbone.hiddenSize, layout: layout(perResidue: perResidue))
        let existing = writer.existingIds
        let total = ids.filter { !existing.contains($0) }.count
        let done = try embed(total: total, into: writer, perResidue: perResidue, showsProgress: showsProgress) { add in
            try ProteinFastaReader(fasta).forEach { record in
                if !existing.contains(record.id) { try add(record) }
            }
        }
        return (done, existing.count)
    }

    /// Fails unless the model and `layer` suit protein embedding.
    func checkModel() throws {
        let depth = backbone.layerCount
        guard (0...depth).contains(layerIndex) else {
            throw CommandError("--layer \(layerIndex) is out of range: the model has hidden states 0...\(depth)")
        }
        guard backbone.vocabularySize >= ProteinTokenizer.vocabularySize else {
            throw CommandError("\(modelPath): the model's vocabulary has \(backbone.vocabularySize) tokens, fewer than the "
                + "\(ProteinTokenizer.vocabularySize) of the ESM-2 protein vocabulary; is it a protein model?")
        }
    }

    /// Fails when `id` cannot name a dataset under /per_residue (only checked when those are written).
    func checkDatasetName(_ id: String, in fasta: String, perResidue: Bool) throws {
        if perResidue, let problem = EmbeddingWriter.datasetNameProblem(id, group: "per_residue") {
            throw CommandError("\(fasta): \(problem)")
        }
    }

    /// Embeds the `total` records `records` hands to its argument, in that order, chunk by chunk, into `writer`,
    /// which it then closes; returns how many were embedded.
    func embed(total: Int, into writer: EmbeddingWriter, perResidue: Bool, showsProgress: Bool,
               records: (_ add: (ProteinRecord) throws -> Void) throws -> Void) throws -> Int {
        let progress = showsProgress ? ProgressBar(total: total, label: "embed", unit: "res") : nil
        let start = Date()
        var done = 0
        var chunk: [ProteinRecord] = []
        func flushChunk() throws {
            chunk.sort { $0.residues.count < $1.residues.count }
            for batch in batches(chunk[...], maxTokens: maxTokens, length: { $0.residues.count + 2 }) {
                try write(batch, into: writer, perResidue: perResidue)
                done += batch.count
                let seconds = max(Date().timeIntervalSince(start), 1e-9)
                progress?.update(step: done, units: Double(batch.reduce(0) { $0 + $1.residues.count }),
                                 values: [("prot/s", Double(done) / seconds)])
            }
            chunk.removeAll(keepingCapacity: true)
        }
        try records { record in
            chunk.append(record)
            if chunk.count >= chunkSize { try flushChunk() }
        }
        try flushChunk()
        try writer.finish()
        return done
    }

    /// Runs one right-padded batch and appends its rows.
    private func write(_ batch: ArraySlice<ProteinRecord>, into writer: EmbeddingWriter, perResidue: Bool) throws {
        let tokens = try batch.map { record -> [Int32] in
            do { return try ProteinTokenizer.encode(record.residues) } catch {
                throw CommandError("record '\(record.id)': \(error)")
            }
        }
        let lengths = tokens.map(\.count)
        let longest = lengths.max()!
        var ids = [Int32](repeating: ProteinTokenizer.pad, count: batch.count * longest)
        for (row, t) in tokens.enumerated() { ids.replaceSubrange(row * longest..<row * longest + t.count, with: t) }
        // Only the chosen state is kept (every layer's would be ~10 GB for titin at 1.4B), and blocks past
        // it are not run.
        let states: HiddenStates = layerIndex == backbone.layerCount ? .final : .afterBlock(layerIndex)
        let hidden = backbone.inferring {
            backbone.forward(embeddings: backbone.embed(IndexTensor(shape: [batch.count, longest], scalars: ids)),
                             lengths: lengths, states: states).output
        }
        // Position 0 is <cls>, position residues+1 is <eos>.
        try writer.append(batch.enumerated().map { row, record in
            EmbeddingItem(id: record.id, states: hidden, row: row, positions: 1..<(record.residues.count + 1),
                          columns: [record.accession ?? ""])
        }, perItem: perResidue)
    }
}
