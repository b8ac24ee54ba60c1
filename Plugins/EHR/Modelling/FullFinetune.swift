import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// Full fine-tuning: backbone and a linear head trained together with binary cross-entropy on
/// train-split prediction windows (AdamW through SequoiaKit's `Trainer`, one evaluation per epoch),
/// keeping the epoch with the best tuning AUROC (the last one when tuning lacks either class).
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

    /// Trains `model` in place (left at the selected epoch's weights) and returns its head and the
    /// selected epoch's tuning AUROC. Checkpoints, metrics.jsonl and loss.svg go to `output`.
    public func run(model: any LanguageModel, train: [[Int32]], trainOutcomes: [Int], tuning: [[Int32]],
                    tuningOutcomes: [Int], output: URL) throws -> (head: TaskHead, tuningAUROC: Double?, epoch: Int) {
        var rng = RandomGenerator(seed: seed)
        let classifier = TimelineClassifier(model: model, rng: &rng)
        let data = LabelledTimelineBatches(sequences: train, outcomes: trainOutcomes, batchSize: batchSize, seed: seed)
        let perEpoch = data.batchesPerEpoch
        let config = TrainingConfig(steps: epochs * perEpoch, learningRate: learningRate, weightDecay: 0.01,
                                    warmupSteps: max(1, perEpoch / 10), checkpointEvery: perEpoch, logEvery: max(1, perEpoch / 4),
                                    evalEvery: perEpoch, keepCheckpoints: 1, seed: seed)
        let trainer = try Trainer(config: config, model: classifier, data: data, output: output) { batch, _ in
            binaryCrossEntropy(logits: classifier(batch.timelines.ids, lengths: batch.timelines.lengths), outcomes: batch.outcomes)
        }
        trainer.countTokens = { $0.timelines.tokenCount }
        trainer.writeModel = { folder in try classifier.save(safetensors: folder.appendingPathComponent("classifier.safetensors")) }
        trainer.readModel = { folder in try classifier.load(safetensors: folder.appendingPathComponent("classifier.safetensors")) }

        let tuningLabels = tuningOutcomes.map { $0 == 1 }
        var best: (auroc: Double?, epoch: Int, weights: [[Float]])?
        trainer.evaluate = { step in
            let head = classifier.taskHead
            let (features, _) = TimelineRepresentations.compute(model, sequences: tuning, batchSize: batchSize)
            let auroc = tuning.isEmpty ? nil
                : BinaryClassificationMetrics.auroc(labels: tuningLabels, scores: head.probabilities(features))
            if best == nil || (auroc ?? -1) > (best!.auroc ?? -1) || auroc == nil {
                best = (auroc, step / perEpoch, classifier.parameters().map(\.scalars))
            }
            return auroc.map { ["tuning_auroc": $0] } ?? [:]
        }
        guard case .completed = try trainer.run() else {
            throw CommandError("\(output.path): fine-tuning stopped before its last epoch")
        }
        if let best {
            for (parameter, saved) in zip(classifier.parameters(), best.weights) {
                _ = parameter.buffer.update(fromContentsOf: saved)
            }
        }
        return (classifier.taskHead, best?.auroc, best?.epoch ?? epochs)
    }
}
