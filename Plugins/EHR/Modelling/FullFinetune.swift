import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// Full fine-tuning: backbone and a linear head trained together with binary cross-entropy on
/// train-split prediction windows (SequoiaKit's `Trainer`, one evaluation per epoch), keeping the
/// epoch with the best tuning AUROC (the last one when tuning lacks either class).
///
/// The best epoch's weights live in the training folder (`best.safetensors` with `best.json`), not
/// in memory, so a run paused between epochs resumes knowing which epoch leads.
public struct FullFinetune {
    /// Passes over the train-split windows (default 3).
    public var epochs = 3
    /// Windows per batch (default 16).
    public var batchSize = 16
    /// Peak AdamW learning rate after a 10%-of-an-epoch warm-up, cosine-decayed (default 1e-4).
    public var learningRate: Float = 1e-4
    /// Seed of the head and the shuffles (default 0).
    public var seed: UInt64 = 0

    /// The defaults shown on each field.
    public init() {}

    /// The selected epoch.
    public struct Selection: Codable {
        public var epoch: Int
        public var tuningAUROC: Double?

        enum CodingKeys: String, CodingKey { case epoch, tuningAUROC = "tuning_auroc" }
    }

    /// Trains `model` in place; when the run completes, the model is left at the selected epoch's
    /// weights and its head and selection are returned, else (paused, interrupted) nil with the outcome.
    /// Checkpoints, metrics.jsonl and loss.svg go to `output`; `prepare` applies the run options
    /// (time budget, pause step, resume) to the trainer.
    public func run(model: any LanguageModel, train: [[Int32]], trainOutcomes: [Int], tuning: [[Int32]], tuningOutcomes: [Int],
                    output: URL, prepare: (Trainer<EpochBatches<([Int32], Int), LabelledTimelineBatch>>) throws -> Void)
        throws -> (result: (head: TaskHead, selection: Selection)?, outcome: TrainingOutcome) {
        var rng = RandomGenerator(seed: seed)
        let classifier = TimelineClassifier(model: model, rng: &rng)
        let data = EpochBatches(Array(zip(train, trainOutcomes)), batchSize: batchSize, seed: seed) {
            LabelledTimelineBatch(timelines: TimelineBatch(sequences: $0.map(\.0)), outcomes: $0.map(\.1))
        }
        let perEpoch = data.batchesPerEpoch
        let config = TrainingConfig(steps: epochs * perEpoch, learningRate: learningRate, weightDecay: 0.01,
                                    warmupSteps: max(1, perEpoch / 10), checkpointEvery: perEpoch, logEvery: max(1, perEpoch / 4),
                                    evalEvery: perEpoch, keepCheckpoints: 1, seed: seed)
        let trainer = try Trainer(config: config, model: classifier, data: data, output: output) { batch, _ in
            binaryCrossEntropy(logits: classifier(batch.timelines.ids, lengths: batch.timelines.lengths), targets: batch.outcomes.map(Float.init))
        }
        trainer.countTokens = { $0.timelines.tokenCount }
        trainer.writeModel = { folder in try classifier.save(safetensors: folder.appendingPathComponent(Self.weightsFile)) }
        trainer.readModel = { folder in try classifier.load(safetensors: folder.appendingPathComponent(Self.weightsFile)) }

        let bestWeights = output.appendingPathComponent("best.safetensors"), bestFile = output.appendingPathComponent("best.json")
        let tuningLabels = tuningOutcomes.map { $0 == 1 }
        trainer.evaluate = { step in
            let (features, _) = TimelineRepresentations.compute(model.backbone, sequences: tuning, batchSize: batchSize)
            let auroc = tuning.isEmpty ? nil
                : BinaryClassificationMetrics.auroc(labels: tuningLabels, scores: classifier.taskHead.probabilities(features))
            let best = try? JSONDecoder().decode(Selection.self, from: Data(contentsOf: bestFile))
            if best == nil || (auroc ?? -1) > (best!.tuningAUROC ?? -1) || auroc == nil {
                try classifier.save(safetensors: bestWeights)
                try AtomicFile.write(try JSONEncoder().encode(Selection(epoch: step / perEpoch, tuningAUROC: auroc)), to: bestFile)
            }
            return auroc.map { ["tuning_auroc": $0] } ?? [:]
        }
        try prepare(trainer)
        let outcome = try trainer.run()
        guard case .completed = outcome else { return (nil, outcome) }
        let selection = try JSONDecoder().decode(Selection.self, from: Data(contentsOf: bestFile))
        try classifier.load(safetensors: bestWeights)
        return ((classifier.taskHead, selection), outcome)
    }

    static let weightsFile = "classifier.safetensors"
}

/// Padded prediction windows and their outcomes, row for row.
public struct LabelledTimelineBatch {
    public let timelines: TimelineBatch
    /// The outcome (0/1) of each window.
    public let outcomes: [Int]
}
