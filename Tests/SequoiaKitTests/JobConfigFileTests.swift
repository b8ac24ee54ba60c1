import Foundation
import SequoiaKit
import SequoiaModels
import XCTest

private struct Recipe: Decodable, Equatable {
    var batch = 4
    var name = "x"

    enum CodingKeys: String, CodingKey { case batch, name }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&batch, .batch)
        try c.fill(&name, .name)
        guard batch > 0 else { throw c.invalid("batch must be positive, got \(batch)") }
    }
}

/// The one job-config loader: model, training and data sections, one error format naming file and key.
final class JobConfigFileTests: XCTestCase {
    private func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("job-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func failure(_ text: String, defaultData: Recipe? = Recipe()) throws -> String {
        let url = try file(text)
        do {
            _ = try TrainingJobConfig<Recipe>(contentsOf: url, defaultData: defaultData)
            return "no error"
        } catch {
            XCTAssertTrue(error is CommandError, "\(error)")
            return "\(error)".replacingOccurrences(of: url.path, with: "FILE")
        }
    }

    func testSectionsDecodeTypedWithDefaults() throws {
        let url = try file(#"{"model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1}, "training": {"steps": 7}, "data": {"name": "y"}, "extra": {"k": 1}}"#)
        let config = try TrainingJobConfig<Recipe>(contentsOf: url)
        XCTAssertEqual(config.training.steps, 7)
        XCTAssertEqual(config.training.learningRate, TrainingConfig().learningRate)
        XCTAssertEqual(config.data.batch, 4)
        XCTAssertEqual(config.data.name, "y")
        let mamba = try XCTUnwrap(config.model as? MambaConfig)
        XCTAssertEqual([mamba.hiddenSize, mamba.numHiddenLayers, mamba.vocabSize], [8, 1, 0])
        XCTAssertTrue(config.file.contains("extra"))
        XCTAssertFalse(config.file.contains("tokenizer"))
    }

    func testEveryFailureIsOneLineNamingFileAndKey() throws {
        let model = #""model": {"sequoia_backbone": "mamba", "hidden_size": 8, "num_hidden_layers": 1}"#
        XCTAssertEqual(try failure("not json"), "FILE: not a JSON object")
        XCTAssertEqual(try failure(#"{"training": {}}"#), "FILE: the config lacks the \"model\" section")
        XCTAssertEqual(try failure(#"{"model": [1]}"#), "FILE: \"model\" must be an object")
        XCTAssertEqual(try failure(#"{"model": {"sequoia_backbone": "mamba"}}"#), "FILE: model: config lacks the field 'hidden_size'")
        XCTAssertEqual(try failure("{\(model), \"training\": {\"steps\": \"many\"}}"), "FILE: training.steps: expected Int")
        XCTAssertEqual(try failure("{\(model), \"training\": {\"steps\": -2}}"), "FILE: training: steps must be >= 0, got -2")
        XCTAssertEqual(try failure("{\(model), \"data\": {\"batch\": 0}}"), "FILE: data: batch must be positive, got 0")
        XCTAssertEqual(try failure("{\(model), \"data\": 3}"), "FILE: \"data\" must be an object")
        XCTAssertEqual(try failure("{\(model)}", defaultData: nil), "FILE: the config lacks the \"data\" section")
        XCTAssertEqual(try failure("{\(model), \"data\": {\"name\": 5}}"), "FILE: data.name: expected String")
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("absent-\(UUID().uuidString).json")
        XCTAssertThrowsError(try JobConfigFile(contentsOf: missing)) {
            XCTAssertEqual("\($0)", "\(missing.path): cannot read the config file")
        }
    }
}
