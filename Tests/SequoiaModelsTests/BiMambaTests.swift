import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class BiMambaTests: XCTestCase {
    private func fixtureModel() throws -> BiMambaLanguageModel {
        let model = try ModelDirectory.load(fixtureDirectory("bimamba_s"))
        return try XCTUnwrap(model as? BiMambaLanguageModel)
    }

    func testFixtureParity() throws {
        try checkFixtureParity("bimamba_s", outputs: 1e-5, gradients: 1e-4, loss: 1e-5)
    }

    func testProjectionsAreShared() throws {
        let model = try fixtureModel()
        XCTAssertEqual(model.maskTokenId, 15)
        for layer in model.backbone.layers {
            XCTAssertTrue(layer.mixer.forwardMixer.inProj === layer.mixer.reverseMixer.inProj)
            XCTAssertTrue(layer.mixer.forwardMixer.outProj === layer.mixer.reverseMixer.outProj)
            XCTAssertFalse(layer.mixer.forwardMixer.xProj === layer.mixer.reverseMixer.xProj)
        }
        let names = model.namedParameters().map(\.0)
        XCTAssertFalse(names.contains { $0.contains("mamba_rev.in_proj") || $0.contains("mamba_rev.out_proj") })
        XCTAssertTrue(names.contains("bimamba.backbone.layers.0.mixer.mamba_fwd.in_proj.weight"))
    }

    /// With right padding and lengths, every real position sees exactly what it sees when its
    /// row runs alone: no pad leaks into either direction.
    func testPaddingDoesNotLeak() throws {
        let model = try fixtureModel()
        let ids = try SafeTensors(contentsOf: fixtureDirectory("bimamba_s").appendingPathComponent("io.safetensors"))
            .indices("masked_input_ids")
        let length = ids.shape[1]
        let lengths = [length - 13, 9, length]
        let pads: [Int32] = [0, 15, 7]
        var padded: [Int32] = []
        for (row, n) in lengths.enumerated() {
            let source = row % ids.shape[0]
            padded += ids.scalars[(source * length)..<(source * length + n)]
            padded += Array(repeating: pads[row], count: length - n)
        }
        let batch = GradMode.withoutGrad { () -> (logits: Tensor, firstBlock: Tensor) in
            let x = model.backbone.embed(IndexTensor(shape: [lengths.count, length], scalars: padded))
            let out = model.backbone.forward(embeddings: x, lengths: lengths, states: .everyLayer)
            return (model.logits(out.output), out.layers[0])
        }
        let vocab = batch.logits.shape[2], width = model.backbone.hiddenSize
        for (row, n) in lengths.enumerated() {
            let source = row % ids.shape[0]
            let alone = GradMode.withoutGrad {
                model.forward(IndexTensor(shape: [1, n], scalars: Array(ids.scalars[(source * length)..<(source * length + n)])))
            }
            let ours = Tensor(shape: [n, vocab], scalars: Array(batch.logits.scalars[(row * length * vocab)..<((row * length + n) * vocab)]))
            let e = relativeError(ours, alone.logits.reshaped([n, vocab]))
            XCTAssertLessThanOrEqual(e, 1e-6, "row \(row) (length \(n)): logits differ by \(e)")
            let h = batch.firstBlock
            let oursH = Tensor(shape: [n, width], scalars: Array(h.scalars[(row * length * width)..<((row * length + n) * width)]))
            XCTAssertLessThanOrEqual(relativeError(oursH, alone.hiddenStates[0].reshaped([n, width])), 1e-6)
        }
    }

    func testPaddingGradientsStayInRealPositions() throws {
        let model = try fixtureModel()
        let ids = IndexTensor(shape: [1, 8], scalars: [1, 2, 3, 4, 5, 0, 0, 0])
        let x = model.backbone.embed(ids).detached()
        x.requiresGrad = true
        let h = model.backbone(embeddings: x, lengths: [5])
        // Only real outputs enter the objective, so pad inputs must get no gradient.
        (h.sliced(axis: 1, 0..<5) * h.sliced(axis: 1, 0..<5)).sum().backward()
        let g = try XCTUnwrap(x.grad)
        let width = model.backbone.hiddenSize
        XCTAssertTrue(g.scalars[(5 * width)...].allSatisfy { $0 == 0 })
        XCTAssertTrue(g.scalars[..<(5 * width)].contains { $0 != 0 })
    }

    func testRandomModelFromSsmCfgOnly() throws {
        let json = """
        {"architectures": ["LcPlmForMaskedLM"], "d_model": 24, "n_layer": 2, "vocab_size": 21,
         "pad_vocab_size_multiple": 8, "ssm_cfg": {"d_state": 4, "d_conv": 3, "expand": 2, "dt_rank": "auto"},
         "bidirectional": true, "bidirectional_strategy": "add", "bidirectional_weight_tie": true, "mask_token_id": 20}
        """
        let model = try XCTUnwrap(try ModelRegistry.shared.build(config: Data(json.utf8)) as? BiMambaLanguageModel)
        let mixer = model.backbone.layers[0].mixer.forwardMixer
        XCTAssertEqual(mixer.timeStepRank, 2)
        XCTAssertEqual(mixer.stateSize, 4)
        XCTAssertEqual(mixer.conv1d.kernelSize, 3)
        let out = model.forward(IndexTensor(shape: [2, 6], scalars: [1, 2, 20, 4, 5, 6, 7, 8, 9, 10, 20, 12]))
        XCTAssertEqual(out.logits.shape, [2, 6, 24])
        XCTAssertEqual(out.hiddenStates.count, 3)
        XCTAssertTrue(out.logits.scalars.allSatisfy(\.isFinite))
        XCTAssertEqual(Set(model.stateDict().keys).count, model.namedParameters().count + 4)
    }

    func testBuildFromCodeWithSeparateProjections() throws {
        var rng = RandomGenerator(seed: 2)
        var config = LcPlmConfig(dModel: 8, nLayer: 1, vocabSize: 5)
        config.bidirectionalWeightTie = false
        let model = try BiMambaLanguageModel(config, rng: &rng)
        XCTAssertFalse(model.backbone.layers[0].mixer.sharesProjections)
        XCTAssertEqual(model.tiedAliases, [:])
        XCTAssertEqual(model.forward(IndexTensor(shape: [1, 3], scalars: [0, 4, 2])).logits.shape, [1, 3, 8])
    }

    func testUnsupportedVariantsAreRejected() {
        let json = """
        {"architectures": ["LcPlmForMaskedLM"], "d_model": 8, "n_layer": 1, "vocab_size": 8, "bidirectional_strategy": "ew_multiply"}
        """
        XCTAssertThrowsError(try ModelRegistry.shared.build(config: Data(json.utf8)))
    }
}
