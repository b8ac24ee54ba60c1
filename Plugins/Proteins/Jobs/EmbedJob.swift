import Foundation
import SequoiaKit
import SequoiaModels

/// `sequoia proteins embed`: mean-pooled (optionally per-residue) protein embeddings streamed into HDF5;
/// the file's layout is documented on `ProteinEmbedder`.
enum EmbedOptions {
    static let fasta = Option("fasta", "FASTA", help: "proteins (plain, gzip or bgzip FASTA)").required
    static let ids = Option("ids", "FILE", help: "embed only these proteins (one id or UniProt accession a line, # comments), "
        + "in this order, fetched by faidx from a plain or bgzip --fasta")
    static let out = Option("out", "FILE.h5", help: "HDF5 file to create, or to extend: ids already in it are skipped").required
    static let perResidue = Flag("per-residue", help: "also store every residue's hidden state under /per_residue/<id>")
    static let layer = Option.int("layer", "N", help: "hidden state to embed: 0..<n_layer after block N+1, n_layer the final (default)",
                                  atLeast: 0)
    static let maxTokens = Option.int("max-tokens", "T", help: "most padded tokens in one forward pass; a longer protein runs alone",
                                      atLeast: 1).defaulting(to: 16384)
}

public let embedJob = Job(
    name: "embed",
    summary: "embed the proteins of a FASTA file with a protein language model (LC-PLM's BiMamba-S) into HDF5 (resumable)",
    options: [StandardOptions.model, EmbedOptions.fasta, EmbedOptions.ids, EmbedOptions.out, EmbedOptions.perResidue,
              EmbedOptions.layer, EmbedOptions.maxTokens],
    run: { options in
        let modelPath = try options[StandardOptions.model]
        let model = try ModelDirectory.load(URL(fileURLWithPath: modelPath), ignoring: ["classifier."])
        var embedder = ProteinEmbedder(backbone: model.backbone, modelPath: modelPath)
        embedder.maxTokens = try options[EmbedOptions.maxTokens]
        embedder.layer = try options[EmbedOptions.layer]
        let out = try options[EmbedOptions.out]
        let result: (embedded: Int, skipped: Int)
        do {
            let fasta = try options[EmbedOptions.fasta], perResidue = options[EmbedOptions.perResidue]
            if let ids = try options[EmbedOptions.ids] {
                result = try embedder.embed(fasta: fasta, ids: ids, to: out, perResidue: perResidue)
            } else {
                result = try embedder.embed(fasta: fasta, to: out, perResidue: perResidue)
            }
        } catch let error as FastaError {
            throw CommandError("\(error)")
        }
        print("embedded \(result.embedded) protein(s) into \(out)" + (result.skipped > 0 ? " (\(result.skipped) already there, skipped)" : ""))
    }
)
