import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

/// A family from outside the built-in four: its config and model, registered in one line.
private struct TinyConfig: ModelConfig, Equatable {
    static let family = ModelFamily(name: "test-tiny-mamba", summary: "a test family", modelType: "tiny_mamba",
                                    architectures: ["TinyMambaForCausalLM"])
    var vocabSize = 0
    var width = 8

    init(vocabSize: Int, width: Int) {
        (self.vocabSize, self.width) = (vocabSize, width)
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&vocabSize, .vocabSize)
        try c.fill(&width, .width)
    }

    var maxLength: Int? {
        get { nil }
        set {}
    }

    func validate() throws {
        if vocabSize < 1 { throw ModelConfigError("vocab_size must be positive, got \(vocabSize)") }
    }
}

private final class TinyModel: Module, LanguageModel {
    let config: TinyConfig
    let backbone: MambaBackbone

    init(_ config: TinyConfig, rng: inout RandomGenerator) throws {
        self.config = config
        var inner = MambaConfig(hiddenSize: config.width, numHiddenLayers: 1, vocabSize: config.vocabSize)
        inner.stateSize = 2
        backbone = MambaBackbone(inner, rng: &rng)
    }

    var objective: TrainingObjective { .causal }
    func logits(_ hidden: Tensor) -> Tensor { linear(hidden, weight: backbone.embeddings.weight, bias: nil) }
    func forward(_ ids: IndexTensor) -> LanguageModelOutput {
        LanguageModelOutput(logits: logits(backbone(ids)), hiddenStates: [])
    }
}

/// Typed model configs, one style: snake_case on disk, camelCase in Swift, defaults where declared,
/// settable fields, and config.json written back with the family's names.
final class ModelConfigTests: XCTestCase {
    func testEveryFamilyRoundTripsThroughItsConfigFile() throws {
        for (name, model) in try BackboneProtocolTests.models() {
            let data = try ModelRegistry.shared.encode(model.config)
            let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], name)
            let family = type(of: model.config).family
            XCTAssertEqual(json["sequoia_backbone"] as? String, family.name, name)
            XCTAssertEqual(json["model_type"] as? String, family.modelType, name)
            XCTAssertEqual(json["architectures"] as? [String], family.architectures, name)
            XCTAssertTrue(json.keys.allSatisfy { $0 == $0.lowercased() }, "\(name): keys are snake_case: \(json.keys.sorted())")
            let decoded = try ModelRegistry.shared.config(from: data)
            XCTAssertEqual(try ModelRegistry.shared.encode(decoded), data, name)
            // The same config builds the same weights.
            let rebuilt = try ModelRegistry.shared.build(decoded, seed: 3)
            for ((n, a), (_, b)) in zip(model.namedParameters(), rebuilt.namedParameters()) {
                XCTAssertEqual(a.scalars, b.scalars, "\(name): \(n)")
            }
        }
    }

    func testDefaultsAreTheDeclaredOnesAndFieldsSetInSwift() throws {
        let hyena = try decodeConfig(HyenaConfig.self, from: Data(#"{"d_model": 8, "n_layer": 1, "vocab_size": 5, "max_seq_len": 16}"#.utf8))
        XCTAssertEqual(hyena, HyenaConfig(dModel: 8, nLayer: 1, vocabSize: 5, maxSeqLen: 16))
        XCTAssertEqual(hyena.dInner, 32)
        var attention = try decodeConfig(AttentionConfig.self, from: Data(
            #"{"hidden_size": 16, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 4, "rope_scaling": {"rope_type": "yarn", "factor": 4}}"#.utf8))
        XCTAssertEqual([attention.headDim, attention.numKeyValueHeads, attention.maxPositionEmbeddings], [4, 4, 2048])
        XCTAssertEqual(attention.ropeScaling?.ropeType, "yarn")
        XCTAssertThrowsError(try attention.validate())  // vocab_size absent: 0 until a job sets it
        attention.vocabSize = 9
        XCTAssertNoThrow(try attention.validate())
        var config: any ModelConfig = hyena
        config.maxLength = 64
        config.vocabSize = 7
        XCTAssertEqual((config as? HyenaConfig)?.maxSeqLen, 64)
        XCTAssertEqual(try ModelRegistry.shared.build(config).backbone.maxLength, 64)
    }

    func testDecodingFailuresNameTheKeyAsTheFileSpellsIt() {
        func failure(_ json: String) -> String {
            do { _ = try ModelRegistry.shared.config(from: Data(json.utf8)); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(failure(#"{"sequoia_backbone": "mamba", "num_hidden_layers": 1}"#), "config lacks the field 'hidden_size'")
        XCTAssertEqual(failure(#"{"sequoia_backbone": "mamba", "hidden_size": "wide", "num_hidden_layers": 1}"#),
                       "config field 'hidden_size' has the wrong type")
        XCTAssertEqual(failure(#"{"sequoia_backbone": "hyena", "d_model": 8, "n_layer": 1, "vocab_size": 5, "max_seq_len": 8, "hyena_order": 3}"#),
                       "hyena_order 3 is not supported (only order 2, as in every HyenaDNA checkpoint)")
        XCTAssertEqual(failure("[1]"), "config is not a JSON object")
        XCTAssertTrue(failure(#"{"sequoia_backbone": "nope"}"#).hasPrefix("unknown backbone 'nope'"))
    }

    func testAFamilyRegistersInOneLine() throws {
        if ModelRegistry.shared.architecture(named: TinyConfig.family.name) == nil {
            ModelRegistry.shared.register(TinyConfig.self, TinyModel.init)
        }
        let byName = try ModelRegistry.shared.build(config: Data(#"{"sequoia_backbone": "test-tiny-mamba", "vocab_size": 6}"#.utf8))
        XCTAssertTrue(byName is TinyModel)
        XCTAssertEqual(byName.backbone.hiddenSize, 8)
        let byReference = try ModelRegistry.shared.config(from: Data(#"{"architectures": ["TinyMambaForCausalLM"], "vocab_size": 6, "width": 4}"#.utf8))
        XCTAssertEqual(byReference as? TinyConfig, TinyConfig(vocabSize: 6, width: 4))
    }
}
