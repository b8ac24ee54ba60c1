import Foundation
import SequoiaKit
import SequoiaModels

/// `sequoia genomics embed`: mean-pooled (and optionally per-position) embeddings of regions to HDF5;
/// the file's layout is documented on `RegionEmbedder`.
public let embedJob = Job(
    name: "embed",
    summary: "embed FASTA records or BED regions with a model's last hidden state (mean-pooled, optionally per position) into HDF5",
    options: [
        .value("model", "DIR", help: "model folder (config.json + model.safetensors, HF layout)", required: true),
        .value("fasta", "FASTA", help: "genome (plain, gzip or bgzip FASTA)", required: true),
        .value("regions", "BED", help: "regions to embed, named by column 4 (default: every whole record)"),
        .value("out", "FILE.h5", help: "HDF5 file to create (must not exist)", required: true),
        .flag("per-position", help: "also store every position's hidden state under /per_position/<id>"),
        .value("batch-length", "N", help: "most tokens in one forward pass; short regions are batched up to it", default: "65536"),
    ],
    run: { options in
        let out = options.string("out")!
        guard !FileManager.default.fileExists(atPath: out) else {
            throw CommandError("\(out): already exists; remove it or choose another --out")
        }
        guard let batchLength = try options.int("batch-length"), batchLength >= 1 else {
            throw UsageError("genomics embed: --batch-length must be at least 1")
        }
        let source = try FastaReader.open(options.string("fasta")!)
        let regions = try EmbeddingRegion.regions(in: source, bed: options.string("regions"))
        let modelPath = options.string("model")!
        let model: any LanguageModel
        do { model = try ModelDirectory.load(URL(fileURLWithPath: modelPath), ignoring: ["classifier."]) } catch { throw CommandError("\(error)") }
        var embedder = RegionEmbedder(model: model, modelPath: modelPath)
        embedder.batchLength = batchLength
        try embedder.embed(regions, from: source, to: out, perPosition: options.flag("per-position"))
        print("embedded \(regions.count) region(s) into \(out)")
    }
)
