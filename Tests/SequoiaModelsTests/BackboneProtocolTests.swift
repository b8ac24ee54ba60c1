import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

/// Every family through the one `Backbone` protocol, as a plugin sees it: sizes and direction,
/// token and embedding inputs, right padding with lengths in either direction, per-layer states,
/// and step mode where the family has it.
final class BackboneProtocolTests: XCTestCase {
    /// Tiny random models of every family, by name; large enough weights that every token matters.
    static func models() throws -> [(String, any LanguageModel)] {
        var mamba = MambaConfig(hiddenSize: 16, numHiddenLayers: 2, vocabSize: 13)
        mamba.stateSize = 4
        mamba.initializerRange = 0.5
        var bimamba = LcPlmConfig(dModel: 16, nLayer: 2, vocabSize: 13)
        bimamba.hfMambaMixerConfig = LcPlmConfig.HFMixer(stateSize: 4)
        var hyena = HyenaConfig(dModel: 16, nLayer: 2, vocabSize: 13, maxSeqLen: 24)
        (hyena.filterOrder, hyena.embDim, hyena.embedDropout, hyena.initializerRange) = (8, 5, 0, 0.3)
        var causal = AttentionConfig(hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 4, vocabSize: 13)
        (causal.numKeyValueHeads, causal.initializerRange) = (2, 0.4)
        var bidirectional = causal
        bidirectional.causal = false
        let configs: [(String, any ModelConfig)] = [("mamba", mamba), ("bimamba-s", bimamba), ("hyena", hyena),
                                                    ("attention", causal), ("attention-bidirectional", bidirectional)]
        return try configs.map { ($0.0, try ModelRegistry.shared.build($0.1, seed: 3)) }
    }

    private func ids(_ batch: Int, _ length: Int, seed: UInt64) -> IndexTensor {
        var rng = RandomGenerator(seed: seed)
        return IndexTensor(shape: [batch, length], scalars: (0..<(batch * length)).map { _ in Int32(1 + rng.nextInt(12)) })
    }

    func testSizesDirectionAndLimits() throws {
        for (name, model) in try Self.models() {
            let b = model.backbone
            XCTAssertEqual(b.hiddenSize, 16, name)
            XCTAssertEqual(b.layerCount, 2, name)
            XCTAssertEqual(b.isCausal, ["mamba", "hyena", "attention"].contains(name), name)
            XCTAssertEqual(b.maxLength, name == "hyena" ? 24 : nil, name)
            XCTAssertGreaterThanOrEqual(b.vocabularySize, 13, name)
            XCTAssertEqual(model.config.vocabSize, 13, name)
        }
    }

    /// Embeddings made by a plugin give what the token path gives, and gradients reach them.
    func testEmbeddingsInGiveTheTokenPathAndCarryGradients() throws {
        for (name, model) in try Self.models() {
            model.eval()
            let b = model.backbone, tokens = ids(2, 9, seed: 1)
            let x = b.embed(tokens).detached()
            x.requiresGrad = true
            let fromEmbeddings = b(embeddings: x)
            XCTAssertEqual(fromEmbeddings.shape, [2, 9, 16], name)
            XCTAssertEqual(relativeError(fromEmbeddings, GradMode.withoutGrad { b(tokens) }), 0, accuracy: 1e-6, name)
            fromEmbeddings.sum().backward()
            XCTAssertTrue(try XCTUnwrap(x.grad).scalars.contains { $0 != 0 }, name)
        }
    }

    /// Right-padded rows with their lengths equal each row run alone, whichever way the model looks.
    func testPaddingNeverLeaksWithLengths() throws {
        for (name, model) in try Self.models() {
            model.eval()
            let b = model.backbone, length = 10, lengths = [10, 4, 7]
            let full = ids(3, length, seed: 2)
            var padded = full
            for (row, n) in lengths.enumerated() { for t in n..<length { padded.scalars[row * length + t] = 12 } }
            let batch = GradMode.withoutGrad { b(padded, lengths: lengths) }
            for (row, n) in lengths.enumerated() {
                let alone = GradMode.withoutGrad {
                    b(IndexTensor(shape: [1, n], scalars: Array(full.scalars[(row * length)..<(row * length + n)])))
                }
                let ours = batch.sliced(axis: 0, row..<(row + 1)).sliced(axis: 1, 0..<n)
                XCTAssertLessThanOrEqual(relativeError(ours, alone), 1e-5, "\(name) row \(row)")
            }
            if !b.isCausal {
                // Without the lengths the pads do reach a bidirectional model's real positions (the test can fail).
                let leaky = GradMode.withoutGrad { b(padded) }.sliced(axis: 0, 1..<2).sliced(axis: 1, 0..<4)
                let alone = GradMode.withoutGrad { b(IndexTensor(shape: [1, 4], scalars: Array(full.scalars[length..<(length + 4)]))) }
                XCTAssertGreaterThan(relativeError(leaky, alone), 1e-4, name)
            }
        }
    }

    func testPerLayerStatesAndStoppingAfterABlock() throws {
        for (name, model) in try Self.models() {
            model.eval()
            let b = model.backbone, x = GradMode.withoutGrad { b.embed(ids(2, 6, seed: 4)) }
            let every = GradMode.withoutGrad { b.forward(embeddings: x, lengths: nil, states: .everyLayer) }
            XCTAssertEqual(every.layers.count, 2, name)
            XCTAssertEqual(relativeError(every.output, GradMode.withoutGrad { b(embeddings: x) }), 0, accuracy: 1e-7, name)
            XCTAssertTrue(GradMode.withoutGrad { b.forward(embeddings: x, lengths: nil, states: .final) }.layers.isEmpty, name)
            for block in 0..<2 {
                let stopped = GradMode.withoutGrad { b.forward(embeddings: x, lengths: nil, states: .afterBlock(block)) }
                XCTAssertEqual(relativeError(stopped.output, every.layers[block]), 0, accuracy: 1e-7, "\(name) block \(block)")
            }
        }
    }

    /// Step mode (Mamba's recurrent state, attention's key/value cache) gives the full forward's states,
    /// token by token and in chunks; families that read the future, or whose filter spans the sequence, have none.
    func testStepModeMatchesTheFullForward() throws {
        for (name, model) in try Self.models() {
            model.eval()
            let b = model.backbone, x = GradMode.withoutGrad { b.embed(ids(2, 11, seed: 5)) }
            guard let state = b.makeStepState(batch: 2) else {
                XCTAssertTrue(["bimamba-s", "hyena", "attention-bidirectional"].contains(name), "\(name) has no step mode")
                continue
            }
            XCTAssertTrue(["mamba", "attention"].contains(name), name)
            let full = GradMode.withoutGrad { b(embeddings: x) }
            var pieces: [Tensor] = []
            var start = 0
            for size in [1, 3, 1, 6] {
                let piece = x.sliced(axis: 1, start..<(start + size))
                pieces.append(GradMode.withoutGrad { b.step(embeddings: piece, state: state) })
                start += size
            }
            XCTAssertEqual(state.position, 11, name)
            XCTAssertLessThanOrEqual(relativeError(Tensor.concatenate(pieces, axis: 1), full), 1e-5, name)
            // The language model's step gives its logits.
            let tokens = ids(2, 11, seed: 5), lmState = try XCTUnwrap(model.makeStepState(batch: 2))
            let stepped = Tensor.concatenate((0..<11).map { t in
                model.step(IndexTensor(shape: [2], scalars: [tokens.scalars[t], tokens.scalars[11 + t]]), state: lmState)
            }, axis: 1)
            XCTAssertLessThanOrEqual(relativeError(stepped, GradMode.withoutGrad { model.logits(tokens, lengths: nil) }), 1e-5, name)
        }
    }

    func testTheOneLengthCheck() throws {
        for (name, model) in try Self.models() {
            XCTAssertNoThrow(try model.backbone.checkLength(24, "x"), name)
            if name == "hyena" {
                XCTAssertThrowsError(try model.backbone.checkLength(25, "file.csv:3: sequence of 25 nt")) {
                    XCTAssertEqual("\($0)", "file.csv:3: sequence of 25 nt is longer than the model's maximum length 24")
                }
            } else {
                XCTAssertNoThrow(try model.backbone.checkLength(1 << 20, "x"), name)
            }
        }
    }
}
