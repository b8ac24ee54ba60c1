import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class HyenaTests: XCTestCase {
    private var fixtureConfig: Data {
        get throws { try Data(contentsOf: fixtureDirectory("hyenadna").appendingPathComponent("config.json")) }
    }

    private func loadFixtureModel() throws -> HyenaDNAForCausalLM {
        let model = try XCTUnwrap(try ModelDirectory.load(fixtureDirectory("hyenadna")) as? HyenaDNAForCausalLM)
        model.eval()
        return model
    }

    /// Token ids below the unpadded vocabulary size.
    private func randomIds(batch: Int, length: Int, vocab: Int, seed: UInt64) -> IndexTensor {
        var rng = RandomGenerator(seed: seed)
        return IndexTensor(shape: [batch, length], scalars: (0..<(batch * length)).map { _ in Int32(rng.nextInt(vocab)) })
    }

    /// Max |a - b| over positions 0..<prefix of [B, L, V] tensors, relative to b's max magnitude.
    private func prefixError(_ a: Tensor, _ b: Tensor, prefix: Int) -> Double {
        relativeError(a.sliced(axis: 1, 0..<prefix), b.sliced(axis: 1, 0..<prefix))
    }

    func testFixtureParity() throws {
        try checkFixtureParity("hyenadna", outputs: 5e-4, gradients: 1e-3, loss: 5e-5)
    }

    func testRegistryFindsHyenaAndTiesFrequencies() throws {
        let model = try ModelRegistry.shared.build(config: try fixtureConfig, seed: 1)
        XCTAssertTrue(model is HyenaDNAForCausalLM)
        XCTAssertEqual(ModelRegistry.shared.architecture(named: "hyena")?.referenceNames, ["hyenadna", "HyenaDNAForCausalLM"])
        XCTAssertEqual(model.objective, .causal)
        let names = Set(model.namedParameters().map(\.0))
        let state = model.stateDict()
        for layer in 0..<2 {
            let prefix = "hyena.backbone.layers.\(layer).mixer.filter_fn.implicit_filter."
            XCTAssertTrue(names.contains(prefix + "1.freq"))
            XCTAssertFalse(names.contains(prefix + "3.freq") || names.contains(prefix + "5.freq"))
            XCTAssertEqual(model.tiedAliases[prefix + "3.freq"], prefix + "1.freq")
            XCTAssertEqual(model.tiedAliases[prefix + "5.freq"], prefix + "1.freq")
            XCTAssertTrue(state[prefix + "1.freq"] === state[prefix + "3.freq"] && state[prefix + "1.freq"] === state[prefix + "5.freq"])
        }
        XCTAssertEqual(state["lm_head.weight"]?.shape, [16, 32])
        XCTAssertEqual(state["hyena.backbone.embeddings.word_embeddings.weight"]?.shape, [16, 32])
    }

    func testRejectsUnsupportedOrder() throws {
        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: try fixtureConfig) as? [String: Any])
        json["hyena_order"] = 3
        let data = try JSONSerialization.data(withJSONObject: json)
        XCTAssertThrowsError(try ModelRegistry.shared.build(config: data)) { error in
            XCTAssertTrue("\(error)".contains("hyena_order 3"), "\(error)")
        }
    }

    /// Other config choices build and train: fixed frequency (not stored, no aliases), no skip
    /// term, one inner MLP layer, emb_dim 3, a vocabulary that needs padding, d_inner by default.
    func testConfigVariantsBuildAndTrain() throws {
        let json = """
        {"model_type": "hyenadna", "d_model": 8, "n_layer": 1, "vocab_size": 5, "max_seq_len": 12,
         "emb_dim": 3, "filter_order": 6, "num_inner_mlps": 1, "train_freq": false, "use_bias": false,
         "activation_freq": 10, "pad_vocab_size_multiple": 4}
        """
        let model = try XCTUnwrap(try ModelRegistry.shared.build(config: Data(json.utf8), seed: 5) as? HyenaDNAForCausalLM)
        XCTAssertEqual(model.config.dInner, 32)
        XCTAssertTrue(model.tiedAliases.isEmpty)
        let names = model.namedParameters().map(\.0)
        XCTAssertFalse(names.contains { $0.hasSuffix("freq") })
        XCTAssertTrue(names.contains("hyena.backbone.layers.0.mixer.filter_fn.implicit_filter.4.weight"))
        XCTAssertEqual(model.lmHead.weight.shape, [8, 8])
        model.eval()
        let ids = randomIds(batch: 2, length: 12, vocab: 5, seed: 4)
        let output = model.forward(ids)
        XCTAssertEqual(output.logits.shape, [2, 12, 8])
        XCTAssertEqual(output.hiddenStates.count, 3)
        let loss = model.loss(logits: output.logits, labels: ids)
        XCTAssertTrue(loss.item().isFinite)
        loss.backward()
        // Without the skip term, filter_fn.bias is stored but unused (the reference multiplies it by 0).
        for (name, p) in model.namedParameters() where !name.hasSuffix("filter_fn.bias") { XCTAssertNotNil(p.grad, name) }
    }

    /// Buffers computed from the formulas at init agree with the ones the reference stored.
    func testComputedBuffersMatchStored() throws {
        let built = try ModelRegistry.shared.build(config: try fixtureConfig, seed: 2)
        let stored = try SafeTensors(contentsOf: fixtureDirectory("hyenadna").appendingPathComponent("model.safetensors"))
        let buffers = built.namedBuffers()
        XCTAssertEqual(buffers.count, 6)
        for (name, ours) in buffers {
            let theirs = try stored.tensor(name)
            XCTAssertEqual(ours.shape, theirs.shape, name)
            // z within the README's 6e-8; t and deltas (torch.linspace, whose vectorised path
            // rounds differently from the scalar formula) within 2 float ulps.
            for (x, y) in zip(ours.scalars, theirs.scalars) {
                let tolerance = name.hasSuffix("pos_emb.z") ? 6e-8 : 2 * y.magnitude.ulp
                XCTAssertLessThanOrEqual((x - y).magnitude, tolerance, name)
            }
        }
    }

    /// With its own buffers (the stored ones left out of the load), the model still matches the reference.
    func testParityWithComputedBuffers() throws {
        let dir = fixtureDirectory("hyenadna")
        let model = try ModelRegistry.shared.build(config: try fixtureConfig, seed: 3)
        var weights = try SafeTensors(contentsOf: dir.appendingPathComponent("model.safetensors")).tensors()
        for (name, _) in model.namedBuffers() { weights[name] = nil }
        for (alias, stored) in model.tiedAliases { weights[alias] = weights[stored] }
        let report = try model.load(stateDict: weights, strict: false)
        XCTAssertEqual(report.missing, model.namedBuffers().map(\.0))
        XCTAssertTrue(report.unexpected.isEmpty && report.mismatched.isEmpty, "\(report)")
        let io = try SafeTensors(contentsOf: dir.appendingPathComponent("io.safetensors"))
        let result = try ReferenceRun.run(model, inputs: io, gradients: false)
        let logits = try XCTUnwrap(result["logits"])
        XCTAssertLessThanOrEqual(relativeError(logits, try io.tensor("logits")), 5e-4)
        XCTAssertEqual(Double(try XCTUnwrap(result["loss"]).item()), Double(try io.tensor("loss").item()), accuracy: 5e-5)
    }

    /// Changing token t leaves every logit before t unchanged (up to FFT rounding) and changes t's.
    func testCausality() throws {
        let model = try loadFixtureModel()
        let length = 40, changed = 23
        let ids = randomIds(batch: 2, length: length, vocab: 12, seed: 7)
        var edited = ids
        for row in 0..<2 { edited.scalars[row * length + changed] = (ids.scalars[row * length + changed] + 5) % 12 }
        let (a, b) = GradMode.withoutGrad { (model.forward(ids).logits, model.forward(edited).logits) }
        XCTAssertLessThan(prefixError(b, a, prefix: changed), 1e-5)
        XCTAssertGreaterThan(relativeError(b.sliced(axis: 1, changed..<(changed + 1)), a.sliced(axis: 1, changed..<(changed + 1))), 1e-3)
    }

    /// Lengths 1 and l_max run, and a shorter run equals the prefix of a longer one
    /// (the filter is truncated per length, so its taps do not depend on L).
    func testLengthsAgreeOnSharedPrefix() throws {
        let model = try loadFixtureModel()
        let maxLength = try XCTUnwrap(model.backbone.maxLength)
        XCTAssertEqual(maxLength, 256)
        let full = randomIds(batch: 1, length: maxLength, vocab: 12, seed: 11)
        let longRun = GradMode.withoutGrad { model.forward(full) }
        XCTAssertEqual(longRun.logits.shape, [1, maxLength, 16])
        XCTAssertEqual(longRun.hiddenStates.count, 4)
        for length in [1, 2, 77, 128] {
            let prefix = IndexTensor(shape: [1, length], scalars: Array(full.scalars.prefix(length)))
            let shortRun = GradMode.withoutGrad { model.forward(prefix) }
            XCTAssertEqual(shortRun.logits.shape, [1, length, 16])
            XCTAssertLessThan(prefixError(longRun.logits, shortRun.logits, prefix: length), 1e-5, "L = \(length)")
            for (long, short) in zip(longRun.hiddenStates, shortRun.hiddenStates) {
                XCTAssertLessThan(prefixError(long, short, prefix: length), 1e-5, "L = \(length)")
            }
        }
    }

    /// The backbone runs on embeddings as well as ids and gives the LM's last hidden state.
    func testBackboneOnEmbeddings() throws {
        let model = try loadFixtureModel()
        let ids = randomIds(batch: 2, length: 9, vocab: 12, seed: 3)
        let (fromIds, fromEmbeddings, lm) = GradMode.withoutGrad {
            (model.backbone(ids), model.backbone(embeddings: model.backbone.embeddings(ids)), model.forward(ids))
        }
        XCTAssertEqual(fromIds.shape, [2, 9, 32])
        XCTAssertEqual(fromIds.scalars, fromEmbeddings.scalars)
        XCTAssertEqual(fromIds.scalars, lm.hiddenStates.last?.scalars)
    }
}
