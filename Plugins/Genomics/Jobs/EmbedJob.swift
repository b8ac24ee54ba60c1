import Foundation
import SequoiaKit
import SequoiaModels

/// `sequoia genomics embed`: mean-pooled (and optionally per-position) embeddings of regions to HDF5;
/// the file's layout is documented on `RegionEmbedder`.
enum EmbedOptions {
    static let fasta = Option("fasta", "FASTA", help: "genome (plain, gzip or bgzip FASTA)").required
    static let regions = Option("regions", "BED", help: "regions to embed, named by column 4 (default: every whole record)")
    static let out = Option("out", "FILE.h5", help: "HDF5 file to create (must not exist)").required
    static let perPosition = Flag("per-position", help: "also store every position's hidden state under /per_position/<id>")
    static let batchLength = Option.int("batch-length", "N", help: "most tokens in one forward pass; short regions are batched up to it",
                                        atLeast: 1).defaulting(to: 65536)
}

public let embedJob = Job(
    name: "embed",
    summary: "embed FASTA records or BED regions with a model's last hidden state (mean-pooled, optionally per position) into HDF5",
    options: [StandardOptions.model, EmbedOptions.fasta, EmbedOptions.regions, EmbedOptions.out, EmbedOptions.perPosition,
              EmbedOptions.batchLength],
    run: { options in
        let out = try options[EmbedOptions.out]
        guard !FileManager.default.fileExists(atPath: out) else {
            throw CommandError("\(out): already exists; remove it or choose another --out")
        }
        let source = try FastaReader.open(try options[EmbedOptions.fasta])
        let regions = try EmbeddingRegion.regions(in: source, bed: try options[EmbedOptions.regions])
        let modelPath = try options[StandardOptions.model]
        let model = try ModelDirectory.load(URL(fileURLWithPath: modelPath), ignoring: ["classifier."])
        var embedder = RegionEmbedder(backbone: model.backbone, modelPath: modelPath)
        embedder.batchLength = try options[EmbedOptions.batchLength]
        try embedder.embed(regions, from: source, to: out, perPosition: options[EmbedOptions.perPosition])
        print("embedded \(regions.count) region(s) into \(out)")
    }
)
