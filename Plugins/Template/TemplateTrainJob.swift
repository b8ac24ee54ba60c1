import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// `sequoia template train`: next-byte pretraining on the lines of a text file. A plugin's train job
/// in full: options declared once, the config file read by the kit, batches from `EpochBatches`,
/// the shared `Trainer` with `TrainingRunOptions` (so --resume, --max-minutes and --pause-at behave
/// as everywhere), and the model folder written by `ModelDirectory`.
enum TemplateTrainOptions {
    static let config = Option("config", "FILE", help: "JSON with model, training and data sections (see configs/template)").required
    static let lines = Option("lines", "FILE", help: "text file (plain, gzip or bgzip), one example a line").required
    static let out = Option("out", "DIR", help: "output folder: config.json, model.safetensors, checkpoints, metrics").required
}

/// The config's "data" section.
struct TemplateData: Decodable {
    var batch = 8
    var maxLength = 128

    enum CodingKeys: String, CodingKey { case batch, maxLength = "max_length" }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&batch, .batch)
        try c.fill(&maxLength, .maxLength)
    }
}

public let templateTrainJob = Job(
    name: "train",
    summary: "train a next-byte model on the lines of a text file",
    options: [TemplateTrainOptions.config, TemplateTrainOptions.lines, TemplateTrainOptions.out] + TrainingRunOptions.all
) { options in
    let file = try JobConfigFile(contentsOf: URL(fileURLWithPath: try options[TemplateTrainOptions.config]))
    var modelConfig = try file.model()
    var training = try file.training()
    let data = try file.section("data", default: TemplateData())
    guard data.batch > 0, data.maxLength > 1 else { throw file.error("data needs batch > 0 and max_length > 1") }
    if let steps = try options[TrainingRunOptions.steps] { training.steps = steps }

    modelConfig.vocabSize = TextLines.vocabularySize
    let model: any LanguageModel
    do {
        model = try ModelRegistry.shared.build(modelConfig, seed: training.seed)
        try model.backbone.checkLength(data.maxLength, "data.max_length \(data.maxLength)")
    } catch {
        throw file.error("model: \(error)")
    }
    guard model.objective == .causal else { throw file.error("model: next-byte training needs a causal backbone") }

    let text = try TextLines(try options[TemplateTrainOptions.lines], maxLength: data.maxLength)
    let batches = EpochBatches(text.lines, batchSize: data.batch, seed: training.seed) { TextLines.batch($0) }
    let out = URL(fileURLWithPath: try options[TemplateTrainOptions.out])
    let trainer = try Trainer(config: training, model: model, data: batches, output: out) { batch, _ in
        let ids = IndexTensor(shape: batch.shape, scalars: batch.ids)
        // Padding is labelled -100, so the loss skips it.
        let labels = IndexTensor(shape: batch.shape, scalars: batch.ids.map { $0 == TextLines.pad ? -100 : $0 })
        return model.loss(logits: model.logits(ids, lengths: batch.lengths), labels: labels)
    }
    trainer.countTokens = { $0.lengths.reduce(0, +) }
    trainer.writeModel = { folder in try ModelDirectory.write(model, to: folder) }
    try TrainingRunOptions.apply(options, to: trainer)
    print("training \(model.parameterCount) parameters on \(text.lines.count) lines of \(text.path)")
    print(TrainingRunOptions.describe(try trainer.run(), output: out))
}
