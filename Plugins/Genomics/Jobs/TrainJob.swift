import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia genomics train`: next-nucleotide pretraining on random windows of a FASTA file
/// (HyenaDNA's recipe: AdamW, warm-up + cosine, clipping, reverse-complement augmentation,
/// sequence-length warm-up), with checkpoints in the Hugging Face layout and exact resume.
public let trainJob = Job(
    name: "train",
    summary: "pretrain a genomic language model on a FASTA file (next-nucleotide prediction)",
    options: [
        .value("config", "FILE", help: "JSON with model, training and data sections (see configs/genomics)", required: true),
        .value("fasta", "FASTA", help: "FASTA, bgzip FASTA or gzip FASTA", required: true),
        .value("regions", "BED", help: "train on these regions; a 4th column train/validation/test assigns the split"),
        .value("out", "DIR", help: "output folder: config.json, model.safetensors, checkpoints, metrics", required: true),
    ] + TrainingRunOptions.specs
) { options in
    let configURL = URL(fileURLWithPath: options.string("config")!)
    var config = try PretrainingConfig(contentsOf: configURL)
    if let steps = try options.int("steps") { config.training.steps = steps }
    let input = try GenomeInput(fasta: options.string("fasta")!, regions: options.string("regions"),
                                holdOut: config.data.holdOut)
    let model: any LanguageModel
    do {
        model = try ModelRegistry.shared.build(config: config.model, seed: config.training.seed)
    } catch {
        throw CommandError("\(configURL.path): model: \(error)")
    }
    try checkMaximumLength(config)
    let data = try GenomeWindows(source: input.source, regions: input.split.train, recipe: config.data,
                                 accumulation: config.training.accumulation, seed: config.training.seed)
    let out = URL(fileURLWithPath: options.string("out")!)
    let trainer = try Trainer(config: config.training, model: model, data: data, output: out) { ids, _ in
        model.loss(logits: model.forward(ids).logits, labels: ids)
    }
    trainer.countTokens = { $0.count }
    let modelConfig = config.model
    trainer.writeModel = { folder in
        try AtomicFile.write(modelConfig, to: folder.appendingPathComponent("config.json"))
        try model.save(safetensors: folder.appendingPathComponent("model.safetensors"))
    }
    try TrainingRunOptions.apply(options, to: trainer)

    let trainNt = input.split.train.reduce(0) { $0 + $1.range.count }
    print("training \(model.parameterCount) parameters on \(trainNt) nt of \(input.source.path) "
        + "(\(input.split.validation.count) held-out regions)")
    print(TrainingRunOptions.describe(try trainer.run(), output: out))
}

/// A window longer than the model's positional range would fail mid-run: check it up front.
private func checkMaximumLength(_ config: PretrainingConfig) throws {
    guard let json = (try? JSONSerialization.jsonObject(with: config.model)) as? [String: Any],
          let maxLength = json["max_seq_len"] as? Int else { return }
    if let longest = config.data.stages.map(\.length).max(), longest > maxLength {
        throw CommandError("data.stages asks for \(longest)-nt windows but the model's maximum length is \(maxLength)")
    }
}
