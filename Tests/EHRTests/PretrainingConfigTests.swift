import EHR
import Foundation
import SequoiaKit
import SequoiaModels
import XCTest

final class PretrainingConfigTests: XCTestCase {
    private let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("configs/ehr")

    /// Every bundled config parses; the small ones build, the Context Clues sizes have the published shapes.
    func testEveryBundledConfigParsesAndBuilds() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: configs.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(names, ["attention-small.json", "hyena-large.json", "hyena-small.json", "mamba-small.json", "mamba-tiny.json"])
        for name in names {
            let url = configs.appendingPathComponent(name)
            let config = try EHRPretrainingConfig(contentsOf: url)
            XCTAssertEqual(type(of: config.model).family.name, String(name.split(separator: "-")[0]), name)
            if name.hasSuffix("-small.json") {
                XCTAssertLessThanOrEqual(config.data.maxLength, 1024)
                let built = try TimelineBackbone.build(config.model, vocabularySize: 1000, maxLength: config.data.maxLength,
                                                       seed: 0, source: url.path)
                XCTAssertEqual(built.objective, .causal)
                XCTAssertLessThan(built.parameterCount, 1_000_000, name)
                XCTAssertGreaterThan(built.parameterCount, 10_000, name)
            }
        }
        let mamba = try XCTUnwrap(try EHRPretrainingConfig(contentsOf: configs.appendingPathComponent("mamba-tiny.json")).model
            as? MambaConfig)
        XCTAssertEqual([mamba.hiddenSize, mamba.numHiddenLayers, mamba.stateSize], [768, 24, 16])
        let large = try EHRPretrainingConfig(contentsOf: configs.appendingPathComponent("hyena-large.json"))
        var hyena = try XCTUnwrap(large.model as? HyenaConfig)
        XCTAssertEqual([hyena.dModel, hyena.nLayer, hyena.maxSeqLen, large.data.maxLength], [768, 16, 16384, 16384])
        hyena.vocabSize = 1000
        XCTAssertNoThrow(try hyena.validate())
    }

    func testContextLengthsFrom512To16kAreExpressible() throws {
        let dir = try EHRFixture.temporaryFolder("lengths")
        defer { try? FileManager.default.removeItem(at: dir) }
        for length in [512, 1024, 4096, 16384] {
            let url = dir.appendingPathComponent("c\(length).json")
            try #"{"model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1}, "data": {"max_length": \#(length)}}"#
                .write(to: url, atomically: true, encoding: .utf8)
            XCTAssertEqual(try EHRPretrainingConfig(contentsOf: url).data.maxLength, length)
        }
    }

    func testBadConfigsFailWithOneLineNamingTheProblem() throws {
        let dir = try EHRFixture.temporaryFolder("bad-config")
        defer { try? FileManager.default.removeItem(at: dir) }
        func failure(_ json: String) -> String {
            let url = dir.appendingPathComponent("c.json")
            try? json.write(to: url, atomically: true, encoding: .utf8)
            do {
                let config = try EHRPretrainingConfig(contentsOf: url)
                _ = try TimelineBackbone.build(config.model, vocabularySize: 50, maxLength: config.data.maxLength, seed: 0, source: url.path)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(failure(#"{"training": {}}"#).contains("\"model\""))
        XCTAssertTrue(failure("not json").contains("not a JSON object"))
        XCTAssertTrue(failure(#"{"model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1}, "data": {"max_length": 1}}"#)
            .contains("max_length"))
        XCTAssertTrue(failure(#"{"model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1}, "training": {"steps": "x"}}"#)
            .contains("training"))
        let hyena = #"{"model": {"sequoia_backbone": "hyena", "d_model": 8, "n_layer": 1, "max_seq_len": 64}, "data": {"max_length": 128}}"#
        XCTAssertTrue(failure(hyena).contains("data.max_length 128 is longer than the model's maximum length 64"), failure(hyena))
        let bidirectional = #"{"model": {"sequoia_backbone": "attention", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1, "num_attention_heads": 2, "causal": false}, "data": {"max_length": 64}}"#
        XCTAssertTrue(failure(bidirectional).contains("causal backbone"), failure(bidirectional))
        XCTAssertTrue(failure(#"{"model": {"sequoia_backbone": "nope"}}"#).contains("unknown backbone"))
        for message in [failure(#"{"training": {}}"#), failure(hyena)] { XCTAssertFalse(message.contains("\n")) }
    }
}
