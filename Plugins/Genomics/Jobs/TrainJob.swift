import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia genomics train`: next-nucleotide pretraining on random windows of a FASTA file
/// (HyenaDNA's recipe: AdamW, warm-up + cosine, clipping, reverse-complement augmentation,
/// sequence-length warm-up), with checkpoints in the Hugging Face layout and exact resume.
enum TrainOptions {
    static let config = Option("config", "FILE", help: "JSON with model, training and data sections (see configs/genomics)").required
    static let fasta = Option("fasta", "FASTA", help: "FASTA, bgzip FASTA or gzip FASTA").required
    static let regions = Option("regions", "BED", help: "train on these regions; a 4th column train/validation/test assigns the split")
    static let out = Option("out", "DIR", help: "output folder: config.json, model.safetensors, checkpoints, metrics").required
}

public let trainJob = Job(
    name: "train",
    summary: "pretrain a genomic language model on a FASTA file (next-nucleotide prediction)",
    options: [TrainOptions.config, TrainOptions.fasta, TrainOptions.regions, TrainOptions.out] + TrainingRunOptions.all
) { options in
    let configURL = URL(fileURLWithPath: try options[TrainOptions.config])
    var config = try PretrainingConfig(contentsOf: configURL)
    if let steps = try options[TrainingRunOptions.steps] { config.training.steps = steps }
    let input = try GenomeInput(fasta: try options[TrainOptions.fasta], regions: try options[TrainOptions.regions],
                                holdOut: config.data.holdOut)
    let model: any LanguageModel
    do {
        model = try ModelRegistry.shared.build(config.model, seed: config.training.seed)
    } catch {
        throw CommandError("\(configURL.path): model: \(error)")
    }
    // A window longer than the model's positional range would fail mid-run: check it up front.
    if let longest = config.data.stages.map(\.length).max() {
        do { try model.backbone.checkLength(longest, "a data.stages window of \(longest) nt") } catch {
            throw CommandError("\(configURL.path): \(error)")
        }
    }
    let data = try GenomeWindows(source: input.source, regions: input.split.train, recipe: config.data,
                                 accumulation: config.training.accumulation, seed: config.training.seed)
    let out = URL(fileURLWithPath: try options[TrainOptions.out])
    let trainer = try Trainer(config: config.training, model: model, data: data, output: out) { ids, _ in
        model.loss(logits: model.logits(ids, lengths: nil), labels: ids)
    }
    trainer.countTokens = { $0.count }
    trainer.writeModel = { folder in try ModelDirectory.write(model, to: folder) }
    try TrainingRunOptions.apply(options, to: trainer)

    let trainNt = input.split.train.reduce(0) { $0 + $1.range.count }
    print("training \(model.parameterCount) parameters on \(trainNt) nt of \(input.source.path) "
        + "(\(input.split.validation.count) held-out regions)")
    print(TrainingRunOptions.describe(try trainer.run(), output: out))
}
