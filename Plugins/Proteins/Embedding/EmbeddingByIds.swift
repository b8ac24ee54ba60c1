import SequoiaKit

extension ProteinEmbedder {
    /// Embeds only the proteins listed in the ids file `ids` (see `ProteinIdList`), fetched by random access
    /// from `fasta` (plain or bgzip, indexed with faidx on first use; `cacheDirectory` as for
    /// `IndexedProteinFasta`) and handed to the batcher in the list's order. Ids already in `output` are
    /// skipped; the chosen records are validated before anything is written. Returns how many were
    /// embedded and how many of the listed proteins were already there.
    @discardableResult
    public func embed(fasta: String, ids: String, to output: String, perResidue: Bool, showsProgress: Bool = true,
                      cacheDirectory: String? = nil) throws -> (embedded: Int, skipped: Int) {
        try checkModel()
        let list = try ProteinIdList(contentsOf: ids)
        let proteins = try IndexedProteinFasta(fasta, cacheDirectory: cacheDirectory)
        let chosen = try list.recordIndices(in: proteins)
        for index in chosen {
            try checkDatasetName(proteins.ids[index], in: fasta, perResidue: perResidue)
            _ = try proteins.record(index)
        }
        let writer = try EmbeddingWriter.extend(output, model: modelPath, width: backbone.hiddenSize, layout: layout(perResidue: perResidue))
        let wanted = chosen.filter { !writer.existingIds.contains(proteins.ids[$0]) }
        let done = try embed(total: wanted.count, into: writer, perResidue: perResidue, showsProgress: showsProgress) { add in
            for index in wanted { try add(try proteins.record(index)) }
        }
        return (done, chosen.count - wanted.count)
    }
}
