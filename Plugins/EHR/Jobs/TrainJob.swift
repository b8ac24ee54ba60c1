import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia ehr train`: next-token pretraining on MEDS timelines (Context Clues' recipe) with any
/// registered causal backbone. The tokenizer is fitted on train-split subjects only; each training
/// timeline contributes its most recent `max_length` tokens; tuning-split subjects give the held-out
/// loss and perplexity at each evaluation. Checkpoints (each a complete model folder), exact resume,
/// progress, metrics.jsonl and loss.svg come from SequoiaKit's `Trainer`.
enum TrainOptions {
    static let config = Option("config", "FILE", help: "JSON with model, training, data and tokenizer sections (see configs/ehr)").required
    static let events = Option("events", "PATH", help: "MEDS events: a MEDS folder, a .parquet file, or .csv / .csv.gz").required
    static let out = Option("out", "DIR", help: "output folder: config.json, model.safetensors, tokenizer.json, ehr.json, checkpoints, metrics")
        .required
}

public let ehrTrainJob = Job(
    name: "train",
    summary: "pretrain a timeline model (next-token prediction) on MEDS events",
    options: [TrainOptions.config, TrainOptions.events, TrainOptions.out] + TrainingRunOptions.all
) { options in
    let configURL = URL(fileURLWithPath: try options[TrainOptions.config])
    var config = try EHRPretrainingConfig(contentsOf: configURL)
    if let steps = try options[TrainingRunOptions.steps] { config.training.steps = steps }
    let cohort = try MEDSReader.read(try options[TrainOptions.events], progress: true)
    let train = cohort.timelines(in: .train), tuning = cohort.timelines(in: .tuning)
    guard train.contains(where: { !$0.events.isEmpty }) else {
        throw CommandError("\(cohort.source): no train-split subject with events to pretrain on")
    }
    let tokenizer = TimelineTokenizer.fit(train, options: config.tokenizer)
    let maxLength = config.data.maxLength
    let model = try TimelineBackbone.build(config.model, vocabularySize: tokenizer.vocabularySize, maxLength: maxLength,
                                           seed: config.training.seed, source: configURL.path)
    let encoded = EncodedTimelines(train, tokenizer: tokenizer, maxLength: maxLength)
    let data = TimelineBatch.epochs(encoded, batchSize: config.data.batch, seed: config.training.seed)
    let heldOut = NextTokenEvaluation(
        sequences: tuning.prefix(config.data.evalSubjects).map { tokenizer.encode($0.events[...], maxLength: maxLength) },
        batchSize: config.data.batch)

    let out = URL(fileURLWithPath: try options[TrainOptions.out])
    let trainer = try Trainer(config: config.training, model: model, data: data, output: out) { batch, _ in
        model.loss(logits: model.logits(batch.ids, lengths: batch.lengths), labels: batch.labels)
    }
    var events = 0
    trainer.countTokens = { $0.tokenCount }
    trainer.countUnits = ("events", { batch in
        events += batch.eventCount
        return batch.eventCount
    })
    let settings = TimelineModelFolder.Settings(maxLength: maxLength)
    trainer.writeModel = { folder in
        try TimelineModelFolder.write(to: folder, model: model, tokenizer: tokenizer, settings: settings)
    }
    if !heldOut.sequences.isEmpty {
        trainer.evaluate = { _ in
            let score = heldOut.score(model)
            return ["heldout_loss": score.meanNats, "heldout_perplexity": score.perplexity]
        }
    }
    if options[TrainingRunOptions.resume], let (_, folder) = trainer.store.latest() {
        let saved = try? TimelineTokenizer(contentsOf: folder.appendingPathComponent(TimelineModelFolder.tokenizerFile))
        guard saved == tokenizer else {
            throw CommandError("\(folder.path): the checkpoint's tokenizer differs from the one fitted on \(cohort.source) "
                + "(other events or tokenizer options): resume needs the same data")
        }
    }
    try TrainingRunOptions.apply(options, to: trainer)

    print("training \(model.parameterCount) parameters on \(encoded.count) train-split timelines "
        + "(\(encoded.tokenCount) tokens, \(encoded.eventCount) events, vocabulary \(tokenizer.vocabularySize)) from \(cohort.source); "
        + "\(heldOut.sequences.count) tuning-split timelines held out")
    let started = DispatchTime.now().uptimeNanoseconds
    let outcome = try trainer.run()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    if events > 0 {
        print(String(format: "%d events in %.1f s: %.0f events/s", events, seconds, Double(events) / seconds))
    }
    if !heldOut.sequences.isEmpty, case .completed = outcome {
        let score = model.inferring { heldOut.score(model) }
        print(String(format: "held-out next-token perplexity %.3f (%.4f nats/token over %d tokens of %d tuning-split timelines)",
                     score.perplexity, score.meanNats, score.tokenCount, heldOut.sequences.count))
    }
    print(TrainingRunOptions.describe(outcome, output: out))
}
