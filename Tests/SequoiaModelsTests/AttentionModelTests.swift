import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class AttentionModelTests: XCTestCase {
    func testLlamaFixtureParity() throws {
        try checkFixtureParity("llama", outputs: 1e-5, gradients: 1e-4, loss: 1e-5)
    }

    /// A small GQA model whose weights are large enough for every token to matter.
    func config(causal: Bool = true, window: Int? = nil, tied: Bool = false, bias: Bool = false) -> AttentionConfig {
        var c = AttentionConfig(hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 4, vocabSize: 11)
        c.numKeyValueHeads = 2
        c.rmsNormEps = 1e-5
        (c.tieWordEmbeddings, c.attentionBias, c.mlpBias, c.causal, c.slidingWindow) = (tied, bias, bias, causal, window)
        c.initializerRange = 0.4
        return c
    }

    func model(_ config: AttentionConfig, seed: UInt64 = 7) throws -> AttentionLanguageModel {
        var rng = RandomGenerator(seed: seed)
        return try AttentionLanguageModel(config: config, rng: &rng)
    }

    func randomIds(batch: Int, length: Int, vocab: Int = 11, seed: UInt64 = 3) -> IndexTensor {
        var rng = RandomGenerator(seed: seed)
        return IndexTensor(shape: [batch, length], scalars: (0..<(batch * length)).map { _ in Int32(rng.nextInt(vocab)) })
    }

    /// Largest |a - b| over positions `range` of every row of two [B, L, C] tensors.
    func maxDifference(_ a: Tensor, _ b: Tensor, positions range: Range<Int>) -> Float {
        let (batch, length, channels) = (a.shape[0], a.shape[1], a.shape[2])
        let (x, y) = (a.scalars, b.scalars)
        var worst: Float = 0
        for row in 0..<batch {
            for t in range {
                for c in 0..<channels {
                    let i = (row * length + t) * channels + c
                    worst = max(worst, Swift.abs(x[i] - y[i]))
                }
            }
        }
        return worst
    }

    func logits(_ model: AttentionLanguageModel, _ ids: IndexTensor) -> Tensor {
        GradMode.withoutGrad { model.forward(ids).logits }
    }

    func testChangingATokenChangesNoEarlierLogit() throws {
        let m = try model(config())
        var ids = randomIds(batch: 2, length: 12)
        let before = logits(m, ids)
        let t = 6
        for row in 0..<2 { ids.scalars[row * 12 + t] = (ids.scalars[row * 12 + t] + 1) % 11 }
        let after = logits(m, ids)
        XCTAssertEqual(maxDifference(before, after, positions: 0..<t), 0)
        XCTAssertGreaterThan(maxDifference(before, after, positions: t..<(t + 1)), 1e-3)
        XCTAssertGreaterThan(maxDifference(before, after, positions: 11..<12), 1e-3)
    }

    func testBidirectionalModelSeesLaterTokens() throws {
        let m = try model(config(causal: false))
        XCTAssertEqual(m.objective, .masked)
        var ids = randomIds(batch: 1, length: 10)
        let before = logits(m, ids)
        ids.scalars[8] = (ids.scalars[8] + 1) % 11
        let after = logits(m, ids)
        XCTAssertGreaterThan(maxDifference(before, after, positions: 0..<1), 1e-3)
    }

    func testKeyLengthsHidePaddingFromABidirectionalBackbone() throws {
        let backbone = try model(config(causal: false)).model
        let (short, long) = (5, 8)
        let ids = randomIds(batch: 2, length: long)
        var padded = ids
        for t in short..<long { padded.scalars[t] = 10 }
        let out = GradMode.withoutGrad { backbone(padded, lengths: [short, long]) }
        let alone0 = GradMode.withoutGrad { backbone(IndexTensor(shape: [1, short], scalars: Array(ids.scalars[0..<short]))) }
        let alone1 = GradMode.withoutGrad { backbone(IndexTensor(shape: [1, long], scalars: Array(ids.scalars[long..<(2 * long)]))) }
        let row0 = out.sliced(axis: 0, 0..<1).sliced(axis: 1, 0..<short)
        let row1 = out.sliced(axis: 0, 1..<2)
        XCTAssertLessThanOrEqual(relativeError(row0, alone0), 1e-6)
        XCTAssertLessThanOrEqual(relativeError(row1, alone1), 1e-6)
        // Without the lengths the padding leaks into the real positions.
        let leaky = GradMode.withoutGrad { backbone(padded) }.sliced(axis: 0, 0..<1).sliced(axis: 1, 0..<short)
        XCTAssertGreaterThan(relativeError(leaky, alone0), 1e-3)
    }

    func testSlidingWindowMattersOnlyPastTheWindow() throws {
        let window = 4
        let full = try model(config()), windowed = try model(config(window: window))
        let shortIds = randomIds(batch: 2, length: window)
        XCTAssertLessThanOrEqual(maxDifference(logits(full, shortIds), logits(windowed, shortIds), positions: 0..<window), 1e-6)
        let longIds = randomIds(batch: 2, length: 3 * window)
        let (a, b) = (logits(full, longIds), logits(windowed, longIds))
        XCTAssertLessThanOrEqual(maxDifference(a, b, positions: 0..<window), 1e-6)
        XCTAssertGreaterThan(maxDifference(a, b, positions: window..<(3 * window)), 1e-3)
    }

    func testTiedHeadIsTheEmbedding() throws {
        let m = try model(config(tied: true))
        let names = m.namedParameters().map(\.0)
        XCTAssertFalse(names.contains("lm_head.weight"))
        XCTAssertEqual(m.tiedAliases, ["lm_head.weight": "model.embed_tokens.weight"])
        let ids = randomIds(batch: 1, length: 6)
        let out = GradMode.withoutGrad { m.forward(ids) }
        let expected = GradMode.withoutGrad { matmul(out.hiddenStates.last!, m.model.embedTokens.weight, transposeB: true) }
        XCTAssertLessThanOrEqual(relativeError(out.logits, expected), 1e-6)
    }

    func testNamesAndHiddenStatesFollowLlama() throws {
        let m = try model(config(bias: true))
        let names = Set(m.namedParameters().map(\.0))
        for name in ["model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
                     "model.layers.1.self_attn.q_proj.weight", "model.layers.1.self_attn.o_proj.bias",
                     "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.down_proj.bias",
                     "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight"] {
            XCTAssertTrue(names.contains(name), name)
        }
        XCTAssertEqual(m.model.layers[0].selfAttn.kProj.outFeatures, 2 * 4)
        let out = GradMode.withoutGrad { m.forward(randomIds(batch: 2, length: 5)) }
        XCTAssertEqual(out.logits.shape, [2, 5, 11])
        XCTAssertEqual(out.hiddenStates.count, 3)
        XCTAssertTrue(out.hiddenStates.allSatisfy { $0.shape == [2, 5, 16] })
    }

    func testRegistryBuildsLlamaConfigs() throws {
        let json = #"{"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": 16, "intermediate_size": 32,"#
            + #" "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 9, "rope_scaling": {"type": "linear", "factor": 2}}"#
        XCTAssertEqual(try ModelRegistry.shared.architecture(forConfig: Data(json.utf8)).name, "attention")
        let built = try ModelRegistry.shared.build(config: Data(json.utf8))
        let m = try XCTUnwrap(built as? AttentionLanguageModel)
        XCTAssertEqual(m.config.headDim, 8)
        XCTAssertEqual(m.config.numKeyValueHeads, 2)
        XCTAssertEqual(m.model.rotary.scaling, .linear(factor: 2))

        let gelu = json.replacingOccurrences(of: "\"vocab_size\"", with: "\"hidden_act\": \"gelu\", \"vocab_size\"")
        XCTAssertThrowsError(try ModelRegistry.shared.build(config: Data(gelu.utf8)))
        let badGroups = json.replacingOccurrences(of: "\"vocab_size\"", with: "\"num_key_value_heads\": 3, \"vocab_size\"")
        XCTAssertThrowsError(try ModelRegistry.shared.build(config: Data(badGroups.utf8)))
    }
}
