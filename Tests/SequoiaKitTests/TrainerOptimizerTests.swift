import Foundation
import SequoiaKit
import SequoiaNN
import SequoiaTensor
import XCTest

/// A module with randomness of its own (not dropout): the trainer saves its generator by protocol.
private final class Jitter: Module, RandomizedModule {
    var rng = RandomGenerator(seed: 5)

    func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining else { return x }
        return x * (1 + 0.01 * rng.nextNormal())
    }
}

private final class JitteredModel: Module {
    let inner: TinyLanguageModel
    let jitter = Jitter()

    init(seed: UInt64) { inner = TinyLanguageModel(seed: seed) }

    func loss(_ batch: TokenBatch) -> Tensor {
        crossEntropy(logits: jitter(inner.head(inner.embed(batch.inputs))), targets: batch.targets)
    }
}

/// The trainer takes any optimizer, and resumes every module's generator, whatever the module.
final class TrainerOptimizerTests: XCTestCase {
    private func run(_ out: URL, pauseAt: Int?, resume: Bool) throws -> JitteredModel {
        let config = TrainingConfig(steps: 6, learningRate: 0.1, checkpointEvery: 0, logEvery: 1, seed: 2)
        let model = JitteredModel(seed: 1)
        let sgd = SGD(groups: [ParameterGroup(parameters: model.parameters())], learningRate: 0.1, momentum: 0.9)
        let trainer = try Trainer(config: config, model: model, data: RandomTokens(), output: out, optimizer: sgd) { batch, _ in
            model.loss(batch)
        }
        trainer.showsProgress = false
        trainer.pauseAtStep = pauseAt
        if resume { try trainer.resume() }
        _ = try trainer.run()
        XCTAssertTrue(trainer.optimizer is SGD)
        return model
    }

    func testSGDRunPausedAndResumedMatchesTheStraightRun() throws {
        let straight = temporaryFolder("sgd-straight"), split = temporaryFolder("sgd-split")
        defer { try? FileManager.default.removeItem(at: straight); try? FileManager.default.removeItem(at: split) }
        let a = try run(straight, pauseAt: nil, resume: false)
        _ = try run(split, pauseAt: 3, resume: false)
        let b = try run(split, pauseAt: nil, resume: true)
        assertSameParameters(a, b)
        XCTAssertEqual(a.jitter.rng, b.jitter.rng, "the jitter generator is checkpointed by protocol")
        let state = try String(contentsOf: split.appendingPathComponent("checkpoint-6/trainer_state.json"), encoding: .utf8)
        XCTAssertTrue(state.contains("\"jitter\""), state)
    }

    func testInferringRestoresTheModeAndRecordsNoGraph() {
        let model = TinyLanguageModel(seed: 3)
        let out = model.inferring { () -> Tensor in
            XCTAssertFalse(model.isTraining)
            return model.head(model.embed(IndexTensor(shape: [1, 2], scalars: [1, 2])))
        }
        XCTAssertTrue(model.isTraining)
        XCTAssertFalse(out.requiresGrad)
    }
}
