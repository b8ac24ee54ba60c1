import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// Embeds the proteins of a FASTA file with a BiMamba-S (LC-PLM) model, streaming them into HDF5.
///
/// HDF5 layout (version 1):
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
    /// The version stored in the `layout_version` attribute.
    public static let layoutVersion = 1

    public let model: BiMambaLanguageModel
    /// The model folder, stored in the file's `model` attribute.
    public let modelPath: String
    /// The most tokens (padded length x rows) in one forward pass; a longer protein runs alone.
    public var maxTokens = 16_384
    /// Which hidden state to embed (see the type's documentation); nil means the final one.
    public var layer: Int?
    /// Records read, sorted by length and batched together: wider groups waste less padding.
    public var chunkSize = 2_048

    public init(model: BiMambaLanguageModel, modelPath: String) {
        self.model = model
        self.modelPath = modelPath
    }

    /// The hidden-state index used: `layer`, or n_layer.
    public var layerIndex: Int { layer ?? model.backbone.layers.count }

    /// Embeds every record of `fasta` not already in `output` (created if missing); returns how many
    /// were embedded and how many skipped. The whole FASTA is validated before anything is written.
    @discardableResult
    public func embed(fasta: String, to output: String, perResidue: Bool,
                      showsProgress: Bool = true) throws -> (embedded: Int, skipped: Int) {
        try checkModel()
        let existing = try existingIds(output, perResidue: perResidue)
        var total = 0
        try ProteinFastaReader(fasta).forEach { record in
            try checkDatasetName(record.id, in: fasta, perResidue: perResidue)
            if !existing.contains(record.id) { total += 1 }
        }
        let done = try embed(total: total, into: output, keeping: existing.count, perResidue: perResidue,
                             showsProgress: showsProgress) { add in
            try ProteinFastaReader(fasta).forEach { record in
                if !existing.contains(record.id) { try add(record) }
            }
        }
        return (done, existing.count)
    }

    /// Fails unless the model and `layer` suit protein embedding.
    func checkModel() throws {
        let depth = model.backbone.layers.count
        guard (0...depth).contains(layerIndex) else {
            throw CommandError("--layer \(layerIndex) is out of range: the model has hidden states 0...\(depth)")
        }
        guard model.config.vocabularySize >= ProteinTokenizer.vocabularySize else {
            throw CommandError("\(modelPath): the model's vocabulary has \(model.config.vocabularySize) tokens, fewer than the "
                + "\(ProteinTokenizer.vocabularySize) of the ESM-2 protein vocabulary; is it a protein model?")
        }
    }

    /// Fails when `id` cannot name a dataset under /per_residue (only checked when those are written).
    func checkDatasetName(_ id: String, in fasta: String, perResidue: Bool) throws {
        if perResidue, id.contains("/") || id == "." || id == ".." {
            throw CommandError("\(fasta): id '\(id)' cannot name an HDF5 dataset under /per_residue")
        }
    }

    /// Embeds the `total` records `records` hands to its argument, in that order, chunk by chunk, into `output`
    /// (created if missing, else cut back to its `kept` complete rows); returns how many were embedded.
    func embed(total: Int, into output: String, keeping kept: Int, perResidue: Bool, showsProgress: Bool,
               records: (_ add: (ProteinRecord) throws -> Void) throws -> Void) throws -> Int {
        let width = model.backbone.hiddenSize
        let file = try HDF5File.openForAppend(output)
        var closed = false
        defer { if !closed { try? file.close() } }
        let root = file.root
        if try !root.contains("ids") {
            try root.createExtendible("ids", .string)
            try root.createExtendible("accessions", .string)
            try root.createExtendible("mean", .float32, columns: width)
            try root.setAttribute("model", modelPath)
            try root.setAttribute("d_model", width)
            try root.setAttribute("layer", layerIndex)
            try root.setAttribute("per_residue", perResidue ? 1 : 0)
            try root.setAttribute("layout_version", Self.layoutVersion)
            try file.flush()
        } else {
            // Rows past the last id belong to a batch cut short before its ids were written.
            try root.dataset("mean").resize(rows: kept)
            try root.dataset("accessions").resize(rows: kept)
        }

        let progress = showsProgress ? ProgressBar(total: total, label: "embed", unit: "res") : nil
        let start = Date()
        model.eval()
        var done = 0
        var chunk: [ProteinRecord] = []
        func flushChunk() throws {
            chunk.sort { $0.residues.count < $1.residues.count }
            for batch in batches(chunk) {
                try write(batch, into: file, perResidue: perResidue)
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
        closed = true
        try file.close()
        return done
    }

    /// The ids already in `output`, after checking its layout matches; empty when there is no file.
    func existingIds(_ output: String, perResidue: Bool) throws -> Set<String> {
        let width = model.backbone.hiddenSize
        guard FileManager.default.fileExists(atPath: output) else { return [] }
        let file: HDF5File
        do { file = try HDF5File.openReadOnly(output) } catch {
            throw CommandError("\(output): exists and is not a readable HDF5 file (\(error)); choose another --out")
        }
        defer { try? file.close() }
        let root = file.root
        guard try root.contains("ids") else { return [] }
        let found: [(String, Int?, Int)] = [
            ("layout_version", try root.intAttribute("layout_version"), Self.layoutVersion),
            ("d_model", try root.intAttribute("d_model"), width),
            ("layer", try root.intAttribute("layer"), layerIndex),
            ("per_residue", try root.intAttribute("per_residue"), perResidue ? 1 : 0),
        ]
        for (name, value, wanted) in found where value != wanted {
            throw CommandError("\(output): existing file has \(name) \(value.map(String.init) ?? "missing") where this run needs \(wanted); "
                + "left untouched, choose another --out")
        }
        return Set(try root.dataset("ids").readStrings())
    }

    /// Consecutive (length-sorted) records sharing a forward pass: at most `maxTokens` padded tokens.
    private func batches(_ records: [ProteinRecord]) -> [ArraySlice<ProteinRecord>] {
        var groups: [ArraySlice<ProteinRecord>] = []
        var start = 0
        while start < records.count {
            var end = start + 1, longest = records[start].residues.count + 2
            while end < records.count {
                let candidate = max(longest, records[end].residues.count + 2)
                guard candidate * (end - start + 1) <= maxTokens else { break }
                longest = candidate
                end += 1
            }
            groups.append(records[start..<end])
            start = end
        }
        return groups
    }

    /// Runs one right-padded batch and appends its rows: data first, ids last, then a flush.
    private func write(_ batch: ArraySlice<ProteinRecord>, into file: HDF5File, perResidue: Bool) throws {
        let tokens = try batch.map { record -> [Int32] in
            do { return try ProteinTokenizer.encode(record.residues) } catch {
                throw CommandError("record '\(record.id)': \(error)")
            }
        }
        let lengths = tokens.map(\.count)
        let longest = lengths.max()!
        var ids = [Int32](repeating: ProteinTokenizer.pad, count: batch.count * longest)
        for (row, t) in tokens.enumerated() { ids.replaceSubrange(row * longest..<row * longest + t.count, with: t) }
        let index = layerIndex
        // Only the current state is kept (hiddenStates would hold every layer's: ~10 GB for titin at 1.4B),
        // and blocks past the chosen one are not run.
        let hidden = GradMode.withoutGrad { () -> Tensor in
            let backbone = model.backbone
            var h = backbone.embedding(IndexTensor(shape: [batch.count, longest], scalars: ids))
            for block in backbone.layers.prefix(min(index + 1, backbone.layers.count)) { h = block(h, lengths: lengths) }
            return index == backbone.layers.count ? backbone.norm_f(h) : h
        }
        let d = hidden.size(2)
        let root = file.root
        var means: [Float] = []
        means.reserveCapacity(batch.count * d)
        for (row, record) in batch.enumerated() {
            let residues = record.residues.count
            // Position 0 is <cls>, position residues+1 is <eos>.
            let rows = hidden.pointer + (row * longest + 1) * d
            means += columnMeans(rows, count: residues, width: d)
            if perResidue {
                let name = "per_residue/\(record.id)"
                if try root.contains(name) { try root.remove(name) }
                let states = Tensor(uninitialized: [residues, d])
                states.pointer.update(from: rows, count: residues * d)
                try root.write(name, states)
            }
        }
        try root.dataset("mean").append(rows: means)
        try root.dataset("accessions").append(batch.map { $0.accession ?? "" })
        try root.dataset("ids").append(batch.map(\.id))
        try file.flush()
    }
}
