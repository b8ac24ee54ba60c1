import Foundation
import Glibc
import SequoiaKit
import SequoiaNN
import SequoiaTensor
import XCTest

final class TrainingResumeTests: XCTestCase {
    let n = 6

    var config: TrainingConfig {
        TrainingConfig(steps: 2 * n, learningRate: 0.05, weightDecay: 0.1, warmupSteps: 3, schedule: .cosine,
                       gradClip: 0.5, accumulation: 2, checkpointEvery: 4, logEvery: 1, seed: 3)
    }

    /// 2N steps straight versus N steps cut by Ctrl-C, then a fresh trainer resuming to 2N.
    func testInterruptThenResumeMatchesStraightRunBitForBit() throws {
        let straightOut = temporaryFolder("straight"), splitOut = temporaryFolder("split")
        defer { try? FileManager.default.removeItem(at: straightOut); try? FileManager.default.removeItem(at: splitOut) }

        let (straight, straightModel) = try makeTrainer(config, output: straightOut)
        XCTAssertEqual(try straight.run(), .completed(step: 2 * n))

        var calls = 0
        let (first, _) = try makeTrainer(config, output: splitOut) { model, batch, rng in
            calls += 1
            if calls == 2 * self.n { raise(SIGINT) }  // the last micro-batch of step N
            return model.loss(rng.nextInt(2) == 0 ? batch : TokenBatch(inputs: batch.targets, targets: batch.inputs))
        }
        XCTAssertEqual(try first.run(), .interrupted(step: n))
        XCTAssertTrue(folderNames(splitOut).contains("checkpoint-\(n)"))

        let (second, secondModel) = try makeTrainer(config, output: splitOut, seed: 99)
        try second.resume()
        XCTAssertEqual(second.step, n)
        XCTAssertEqual(second.data.position.cursor, 2 * n)
        XCTAssertEqual(try second.run(), .completed(step: 2 * n))

        assertSameParameters(straightModel, secondModel)
        assertSameOptimizerState(straight.optimizer.state(), second.optimizer.state())
        XCTAssertEqual(straight.rng, second.rng)
        XCTAssertEqual(straightModel.drop.rng, secondModel.drop.rng)
        XCTAssertEqual(straight.data.position, second.data.position)

        // The metrics agree line for line, apart from wall-clock fields.
        let a = try metricLines(straightOut), b = try metricLines(splitOut)
        XCTAssertEqual(a.count, 2 * n)
        XCTAssertEqual(a.map(\.step), b.map(\.step))
        for (x, y) in zip(a, b) {
            for key in ["loss", "lr", "grad_norm"] { XCTAssertEqual(x[key], y[key], "\(key) at step \(x.step)") }
        }
    }

    /// A completed run extended with a larger `steps` (constant rate) equals the longer run.
    func testExtendingStepsContinuesTheRun() throws {
        var short = config
        short.schedule = .constant
        short.warmupSteps = 0
        short.steps = n
        var long = short
        long.steps = 2 * n
        let straightOut = temporaryFolder("long"), splitOut = temporaryFolder("extend")
        defer { try? FileManager.default.removeItem(at: straightOut); try? FileManager.default.removeItem(at: splitOut) }

        let (straight, straightModel) = try makeTrainer(long, output: straightOut)
        try straight.run()
        let (first, _) = try makeTrainer(short, output: splitOut)
        XCTAssertEqual(try first.run(), .completed(step: n))
        let (second, secondModel) = try makeTrainer(long, output: splitOut)
        try second.resume()
        XCTAssertEqual(try second.run(), .completed(step: 2 * n))
        assertSameParameters(straightModel, secondModel)
        assertSameOptimizerState(straight.optimizer.state(), second.optimizer.state())
    }

    func testResumeRefusesAChangedLearningRate() throws {
        let out = temporaryFolder("refuse")
        defer { try? FileManager.default.removeItem(at: out) }
        var small = config
        small.steps = 2
        try makeTrainer(small, output: out).0.run()
        small.learningRate = 0.01
        small.accumulation = 1
        let (other, _) = try makeTrainer(small, output: out)
        XCTAssertThrowsError(try other.resume()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("the config differs in accumulation, learning_rate;"), text)
        }
    }

    func testResumeWithoutCheckpointAndFreshRunOverCheckpointsAreRefused() throws {
        let out = temporaryFolder("empty")
        defer { try? FileManager.default.removeItem(at: out) }
        var small = config
        small.steps = 1
        XCTAssertThrowsError(try makeTrainer(small, output: out).0.resume()) {
            XCTAssertTrue("\($0)".contains("holds no checkpoint"), "\($0)")
        }
        try makeTrainer(small, output: out).0.run()
        XCTAssertThrowsError(try makeTrainer(small, output: out).0.run()) {
            XCTAssertTrue("\($0)".contains("already holds checkpoint-1"), "\($0)")
        }
    }

    private func metricLines(_ out: URL) throws -> [MetricsRecord] {
        try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").compactMap { MetricsRecord(jsonLine: String($0)) }
    }
}
