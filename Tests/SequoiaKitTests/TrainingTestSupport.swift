import Foundation
import SequoiaKit
import SequoiaNN
import SequoiaTensor
import XCTest

/// Embedding -> dropout -> linear next-token model, small enough for debug builds.
final class TinyLanguageModel: Module {
    static let vocab = 11
    var embed: Embedding
    var drop: Dropout
    var head: Linear

    init(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        embed = Embedding(Self.vocab, 8, rng: &rng)
        drop = Dropout(p: 0.1, rng: RandomGenerator(seed: seed &+ 1))
        head = Linear(8, Self.vocab, rng: &rng)
    }

    func loss(_ batch: TokenBatch) -> Tensor {
        crossEntropy(logits: head(drop(embed(batch.inputs))), targets: batch.targets)
    }
}

struct TokenBatch {
    var inputs: IndexTensor
    var targets: IndexTensor
}

/// Random sequences whose content depends on both the generator and the cursor, so a resume
/// that restored either one wrongly would train on different batches.
struct RandomTokens: TrainingData {
    struct Position: Codable, Equatable {
        var cursor = 0
    }

    var position = Position()
    let batch = 3, length = 5

    mutating func next(rng: inout RandomGenerator) throws -> TokenBatch {
        let v = TinyLanguageModel.vocab
        var ids: [Int32] = [], targets: [Int32] = []
        for _ in 0..<(batch * length) {
            let id = (rng.nextInt(v) + position.cursor) % v
            ids.append(Int32(id))
            targets.append(Int32((id * 3 + 1) % v))
        }
        position.cursor += 1
        return TokenBatch(inputs: IndexTensor(shape: [batch, length], scalars: ids),
                          targets: IndexTensor(shape: [batch, length], scalars: targets))
    }
}

func makeTrainer(_ config: TrainingConfig, output: URL, seed: UInt64 = 7,
                 loss: ((TinyLanguageModel, TokenBatch, inout RandomGenerator) -> Tensor)? = nil) throws
    -> (Trainer<RandomTokens>, TinyLanguageModel) {
    let model = TinyLanguageModel(seed: seed)
    let trainer = try Trainer(config: config, model: model, data: RandomTokens(), output: output) { batch, rng in
        if let loss { return loss(model, batch, &rng) }
        // Draw from the trainer's generator too, as augmentation would.
        return model.loss(rng.nextInt(2) == 0 ? batch : TokenBatch(inputs: batch.targets, targets: batch.inputs))
    }
    trainer.countTokens = { $0.inputs.count }
    trainer.showsProgress = false
    return (trainer, model)
}

func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("sequoia-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try? FileManager.default.removeItem(at: url)
    return url
}

func folderNames(_ url: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
}

func assertSameParameters(_ a: Module, _ b: Module, file: StaticString = #filePath, line: UInt = #line) {
    let pa = a.namedParameters(), pb = b.namedParameters()
    XCTAssertEqual(pa.map(\.0), pb.map(\.0), file: file, line: line)
    for ((name, x), (_, y)) in zip(pa, pb) {
        XCTAssertEqual(x.scalars, y.scalars, "parameter \(name) differs", file: file, line: line)
    }
}

func assertSameOptimizerState(_ a: OptimizerState, _ b: OptimizerState, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.scalars, b.scalars, file: file, line: line)
    XCTAssertEqual(a.tensors.keys.sorted(), b.tensors.keys.sorted(), file: file, line: line)
    for (key, t) in a.tensors {
        XCTAssertEqual(t.scalars, b.tensors[key]?.scalars, "optimizer \(key) differs", file: file, line: line)
    }
}
