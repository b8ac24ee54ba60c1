import Foundation
import SequoiaKit
import SequoiaModels

/// `sequoia proteins embed`: mean-pooled (optionally per-residue) protein embeddings streamed into HDF5;
/// the file's layout is documented on `ProteinEmbedder`.
public let embedJob = Job(
    name: "embed",
    summary: "embed the proteins of a FASTA file with a BiMamba-S (LC-PLM) model into HDF5 (resumable)",
    options: [
        .value("model", "DIR", help: "model folder (config.json + model.safetensors, LC-PLM layout)", required: true),
        .value("fasta", "FASTA", help: "proteins (plain, gzip or bgzip FASTA)", required: true),
        .value("ids", "FILE", help: "embed only these proteins (one id or UniProt accession a line, # comments), "
            + "in this order, fetched by faidx from a plain or bgzip --fasta"),
        .value("out", "FILE.h5", help: "HDF5 file to create, or to extend: ids already in it are skipped", required: true),
        .flag("per-residue", help: "also store every residue's hidden state under /per_residue/<id>"),
        .value("layer", "N", help: "hidden state to embed: 0..<n_layer after block N+1, n_layer the final (default)"),
        .value("max-tokens", "T", help: "most padded tokens in one forward pass; a longer protein runs alone", default: "16384"),
    ],
    run: { options in
        guard let maxTokens = try options.int("max-tokens"), maxTokens >= 1 else {
            throw UsageError("proteins embed: --max-tokens must be at least 1")
        }
        let layer = try options.int("layer")
        if let layer, layer < 0 { throw UsageError("proteins embed: --layer must be at least 0") }
        let modelPath = options.string("model")!
        let loaded: any LanguageModel
        do { loaded = try ModelDirectory.load(URL(fileURLWithPath: modelPath), ignoring: ["classifier."]) } catch {
            throw CommandError("\(error)")
        }
        guard let model = loaded as? BiMambaLanguageModel else {
            throw CommandError("\(modelPath): proteins embed needs a BiMamba-S (LC-PLM) model, found \(type(of: loaded))")
        }
        var embedder = ProteinEmbedder(model: model, modelPath: modelPath)
        embedder.maxTokens = maxTokens
        embedder.layer = layer
        let out = options.string("out")!
        let result: (embedded: Int, skipped: Int)
        do {
            let fasta = options.string("fasta")!, perResidue = options.flag("per-residue")
            if let ids = options.string("ids") {
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
