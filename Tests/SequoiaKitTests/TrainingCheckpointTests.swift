import Foundation
import SequoiaKit
import SequoiaNN
import SequoiaTensor
import XCTest

final class TrainingCheckpointTests: XCTestCase {
    struct Boom: Error, CustomStringConvertible {
        var description: String { "disk on fire" }
    }

    func testNaNLossStopsAndLeavesThePreviousCheckpoint() throws {
        let out = temporaryFolder("nan")
        defer { try? FileManager.default.removeItem(at: out) }
        let config = TrainingConfig(steps: 10, learningRate: 0.01, checkpointEvery: 2, logEvery: 1)
        var calls = 0
        let (trainer, _) = try makeTrainer(config, output: out) { model, batch, _ in
            calls += 1
            let loss = model.loss(batch)
            return calls == 5 ? loss * Float.nan : loss
        }
        XCTAssertThrowsError(try trainer.run()) { error in
            guard case let TrainingError.nonFinite(step, quantity, _, last) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(step, 5)
            XCTAssertEqual(quantity, "loss")
            XCTAssertEqual(last, 4)
            XCTAssertTrue("\(error)".contains("last good checkpoint is step 4"), "\(error)")
        }
        XCTAssertEqual(CheckpointStore(folder: out).latest()?.step, 4)
        let (resumed, _) = try makeTrainer(config, output: out)
        try resumed.resume()
        XCTAssertEqual(resumed.step, 4)
    }

    func testInfiniteGradientStops() throws {
        let out = temporaryFolder("inf")
        defer { try? FileManager.default.removeItem(at: out) }
        let config = TrainingConfig(steps: 3, learningRate: 0.01, checkpointEvery: 1)
        let (trainer, _) = try makeTrainer(config, output: out) { model, batch, _ in
            // A finite loss whose gradient is not: sqrt has an infinite slope at 0.
            model.loss(batch) + (model.head.weight * 0).sqrt().sum()
        }
        XCTAssertThrowsError(try trainer.run()) { error in
            guard case TrainingError.nonFinite(1, "gradient norm", _, nil) = error else { return XCTFail("\(error)") }
        }
        XCTAssertNil(CheckpointStore(folder: out).latest())
    }

    func testFailingModelWriterLeavesThePreviousCheckpointAndNoTemporaries() throws {
        let out = temporaryFolder("crash")
        defer { try? FileManager.default.removeItem(at: out) }
        let config = TrainingConfig(steps: 6, learningRate: 0.01, checkpointEvery: 2)
        let (trainer, model) = try makeTrainer(config, output: out)
        var writes = 0
        trainer.writeModel = { folder in
            writes += 1
            try model.save(safetensors: folder.appendingPathComponent("model.safetensors"))
            try Data("{\"d_model\": 8}".utf8).write(to: folder.appendingPathComponent("config.json"))
            if writes == 2 { throw Boom() }
        }
        XCTAssertThrowsError(try trainer.run()) { error in
            XCTAssertTrue("\(error)".contains("disk on fire"), "\(error)")
        }
        XCTAssertEqual(folderNames(out).filter { $0.hasPrefix(".") }, [])
        XCTAssertEqual(CheckpointStore(folder: out).latest()?.step, 2)
        XCTAssertEqual(folderNames(out.appendingPathComponent("checkpoint-2")),
                       ["config.json", "model.safetensors", "optimizer.safetensors", "trainer_state.json"])
        XCTAssertTrue(folderNames(out).contains("config.json"))
        let (resumed, _) = try makeTrainer(config, output: out)
        try resumed.resume()
        XCTAssertEqual(resumed.step, 2)
    }

    func testKeepsTheLastKCheckpointsAndPublishesTheModel() throws {
        let out = temporaryFolder("keep")
        defer { try? FileManager.default.removeItem(at: out) }
        let config = TrainingConfig(steps: 10, learningRate: 0.01, checkpointEvery: 2, keepCheckpoints: 2)
        let (trainer, model) = try makeTrainer(config, output: out)
        try trainer.run()
        XCTAssertEqual(folderNames(out), ["checkpoint-10", "checkpoint-8", "latest", "loss.svg", "metrics.jsonl",
                                          "model.safetensors"])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("latest").path),
                       "checkpoint-10")
        let published = try SafeTensors(contentsOf: out.appendingPathComponent("model.safetensors")).tensors()
        for (name, t) in model.stateDict() { XCTAssertEqual(published[name]?.scalars, t.scalars, name) }
    }

    func testStoreReplacesASetForTheSameStep() throws {
        let out = temporaryFolder("store")
        defer { try? FileManager.default.removeItem(at: out) }
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let store = CheckpointStore(folder: out)
        for text in ["a", "b"] {
            try store.write(step: 3, keep: 2) { try Data(text.utf8).write(to: $0.appendingPathComponent("x.txt")) }
        }
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("checkpoint-3/x.txt"), encoding: .utf8), "b")
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("x.txt"), encoding: .utf8), "b")
        XCTAssertEqual(folderNames(out), ["checkpoint-3", "latest", "x.txt"])
    }
}
