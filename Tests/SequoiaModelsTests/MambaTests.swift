import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class MambaTests: XCTestCase {
    private func fixtureModel() throws -> MambaLanguageModel {
        let model = try ModelDirectory.load(fixtureDirectory("mamba"))
        return try XCTUnwrap(model as? MambaLanguageModel)
    }

    private func fixtureIds() throws -> IndexTensor {
        try SafeTensors(contentsOf: fixtureDirectory("mamba").appendingPathComponent("io.safetensors")).indices("input_ids")
    }

    func testFixtureParity() throws {
        try checkFixtureParity("mamba", outputs: 1e-5, gradients: 1e-4, loss: 1e-5)
    }

    func testLMHeadIsTheEmbedding() throws {
        let model = try fixtureModel()
        XCTAssertTrue(model.lmHead.weight === model.backbone.embeddings.weight)
        let names = model.namedParameters().map(\.0)
        XCTAssertTrue(names.contains("backbone.embeddings.weight"))
        XCTAssertFalse(names.contains("lm_head.weight"))
    }

    /// Logits from running `ids` through step mode in chunks of the given sizes, in [B, L, V] order.
    private func steppedLogits(_ model: MambaLanguageModel, _ ids: IndexTensor, chunks: [Int]) -> Tensor {
        let (batch, length) = (ids.shape[0], ids.shape[1])
        let state = model.makeStepState(batch: batch)!
        var pieces: [Tensor] = []
        var start = 0
        for size in chunks {
            let end = min(length, start + size)
            let piece = IndexTensor(shape: [batch, end - start], scalars: (0..<batch).flatMap { b in
                ids.scalars[(b * length + start)..<(b * length + end)]
            })
            pieces.append(size == 1 ? model.step(piece.reshaped([batch]), state: state) : model.step(piece, state: state))
            start = end
        }
        XCTAssertEqual(start, length)
        return Tensor.concatenate(pieces, axis: 1)
    }

    func testStepModeMatchesFullForward() throws {
        let model = try fixtureModel()
        let ids = try fixtureIds()
        let full = GradMode.withoutGrad { model.forward(ids).logits }
        let stepped = steppedLogits(model, ids, chunks: Array(repeating: 1, count: ids.shape[1]))
        XCTAssertEqual(stepped.shape, full.shape)
        let e = relativeError(stepped, full)
        XCTAssertLessThanOrEqual(e, 1e-5, "step mode vs full forward: relative error \(e)")
    }

    /// A prompt shorter than the conv window, single steps, then longer chunks.
    func testPrefillThenStepMatchesFullForward() throws {
        let model = try fixtureModel()
        let ids = try fixtureIds()
        let full = GradMode.withoutGrad { model.forward(ids).logits }
        let stepped = steppedLogits(model, ids, chunks: [2, 1, 1, 7, 1, 20, ids.shape[1]])
        XCTAssertLessThanOrEqual(relativeError(stepped, full), 1e-5)
    }

    func testStepModeWithoutConvHistory() throws {
        let json = """
        {"model_type": "mamba", "hidden_size": 16, "num_hidden_layers": 2, "vocab_size": 9, "state_size": 3, "conv_kernel": 1}
        """
        let model = try XCTUnwrap(try ModelRegistry.shared.build(config: Data(json.utf8), seed: 5) as? MambaLanguageModel)
        let ids = IndexTensor(shape: [2, 6], scalars: [1, 2, 3, 4, 5, 6, 8, 7, 6, 5, 4, 0])
        let full = GradMode.withoutGrad { model.forward(ids).logits }
        XCTAssertLessThanOrEqual(relativeError(steppedLogits(model, ids, chunks: [1, 3, 1, 1]), full), 1e-5)
    }

    func testCausality() throws {
        let model = try fixtureModel()
        let ids = try fixtureIds()
        let length = ids.shape[1], t = length / 2
        var changed = ids
        for b in 0..<ids.shape[0] { changed.scalars[b * length + t] = (changed.scalars[b * length + t] + 1) % 16 }
        let (a, c) = GradMode.withoutGrad { (model.forward(ids).logits, model.forward(changed).logits) }
        let vocab = a.shape[2]
        for b in 0..<ids.shape[0] {
            let row = b * length * vocab
            XCTAssertEqual(Array(a.scalars[row..<(row + t * vocab)]), Array(c.scalars[row..<(row + t * vocab)]),
                           "row \(b): logits before the changed token moved")
            XCTAssertNotEqual(Array(a.scalars[(row + t * vocab)..<(row + (t + 1) * vocab)]),
                              Array(c.scalars[(row + t * vocab)..<(row + (t + 1) * vocab)]))
        }
    }

    func testRandomModelFromConfigAndAutoRank() throws {
        let json = """
        {"architectures": ["MambaForCausalLM"], "hidden_size": 40, "num_hidden_layers": 1, "vocab_size": 11,
         "state_size": 4, "conv_kernel": 3, "time_step_rank": "auto", "pad_vocab_size_multiple": 8}
        """
        let model = try XCTUnwrap(try ModelRegistry.shared.build(config: Data(json.utf8)) as? MambaLanguageModel)
        XCTAssertEqual(model.backbone.layers[0].mixer.timeStepRank, 3)
        XCTAssertEqual(model.backbone.layers[0].mixer.intermediateSize, 80)
        let out = model.forward(IndexTensor(shape: [1, 5], scalars: [1, 2, 3, 4, 10]))
        XCTAssertEqual(out.logits.shape, [1, 5, 16])
        XCTAssertEqual(out.hiddenStates.count, 2)
        XCTAssertTrue(out.logits.scalars.allSatisfy(\.isFinite))
    }
}
