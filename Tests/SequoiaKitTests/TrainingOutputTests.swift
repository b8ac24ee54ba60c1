import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SequoiaKit
import XCTest

final class TrainingOutputTests: XCTestCase {
    func testMetricsLinesAndLossCurve() throws {
        let out = temporaryFolder("metrics")
        defer { try? FileManager.default.removeItem(at: out) }
        let config = TrainingConfig(steps: 7, learningRate: 0.02, checkpointEvery: 4, logEvery: 2, evalEvery: 3)
        let (trainer, _) = try makeTrainer(config, output: out)
        var evaluated: [Int] = []
        trainer.evaluate = { step in
            evaluated.append(step)
            return ["eval_loss": 2.5 - Double(step) * 0.1, "eval_accuracy": 0.5]
        }
        try trainer.run()
        XCTAssertEqual(evaluated, [3, 6, 7])

        let lines = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let records = lines.compactMap(MetricsRecord.init(jsonLine:))
        XCTAssertEqual(records.count, lines.count)
        XCTAssertEqual(records.map(\.step), [2, 3, 4, 6, 7])
        for record in records {
            for key in ["loss", "lr", "grad_norm", "tokens_per_s", "elapsed"] {
                XCTAssertNotNil(record[key], "step \(record.step) lacks \(key)")
            }
            XCTAssertEqual(record["eval_loss"] != nil, [3, 6, 7].contains(record.step))
        }
        XCTAssertGreaterThan(records[0]["tokens_per_s"]!, 0)
        XCTAssertTrue(lines[0].hasPrefix("{\"step\":2,\"loss\":"), lines[0])

        let svg = try String(contentsOf: out.appendingPathComponent("loss.svg"), encoding: .utf8)
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        for part in ["<svg", "<polyline", ">step<", ">loss<", ">eval_loss<", "</svg>"] {
            XCTAssertTrue(svg.contains(part), "loss.svg lacks \(part)")
        }
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "loss.svg is not well-formed XML: \(String(describing: parser.parserError))")
    }

    func testEmptyCurveIsStillAPicture() {
        let svg = LossCurve.svg([])
        XCTAssertTrue(svg.contains("no data yet") && svg.hasSuffix("</svg>\n"))
        XCTAssertTrue(XMLParser(data: Data(svg.utf8)).parse())
    }

    func testConfigReadsSnakeCaseWithDefaults() throws {
        let json = """
        {"steps": 50, "learning_rate": 0.001, "warmup_steps": 5, "schedule": "linear", "min_lr_ratio": 0,
         "accumulation": 4, "checkpoint_every": 10, "log_every": 5, "seed": 42, "betas": [0.9, 0.95],
         "d_model": 128}
        """
        let config = try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        XCTAssertEqual(config, TrainingConfig(steps: 50, learningRate: 0.001, betas: [0.9, 0.95], warmupSteps: 5,
                                              schedule: .linear, minLrRatio: 0, accumulation: 4, checkpointEvery: 10,
                                              logEvery: 5, seed: 42))
        XCTAssertEqual(config.gradClip, 1.0)
        let again = try JSONDecoder().decode(TrainingConfig.self, from: JSONEncoder().encode(config))
        XCTAssertEqual(again, config)
        XCTAssertEqual(String(data: try JSONEncoder().encode(config), encoding: .utf8)?.contains("\"learning_rate\""), true)
        XCTAssertEqual(config.learningRateSchedule, .warmupLinear(peak: 0.001, warmupSteps: 5, totalSteps: 50, minRatio: 0))
        XCTAssertEqual(config.differences(from: TrainingConfig(steps: 50, learningRate: 0.001, betas: [0.9, 0.95],
                                                               warmupSteps: 5, schedule: .linear, minLrRatio: 0,
                                                               accumulation: 4, checkpointEvery: 10, logEvery: 5, seed: 7)),
                       ["seed"])
    }

    func testConfigMistakesAreClear() {
        XCTAssertThrowsError(try JSONDecoder().decode(TrainingConfig.self, from: Data("{\"schedule\": \"cosin\"}".utf8))) {
            XCTAssertTrue("\($0)".contains("schedule must be one of cosine, linear, constant"), "\($0)")
        }
        XCTAssertThrowsError(try TrainingConfig(accumulation: 0).validate()) {
            XCTAssertEqual("\($0)", "training config: accumulation must be >= 1, got 0")
        }
        XCTAssertThrowsError(try TrainingConfig(betas: [0.9]).validate())
        XCTAssertEqual(TrainingConfig(warmupSteps: 4, schedule: .constant).learningRateSchedule.learningRate(at: 100), 6e-4)
    }
}

final class TrainingConfigFileTests: XCTestCase {
    func testFileErrorsNameTheFileAndKey() throws {
        let folder = temporaryFolder("config")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("train.json")
        func message(_ text: String) -> String {
            try? Data(text.utf8).write(to: url)
            do { _ = try TrainingConfig(contentsOf: url); return "no error" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("{\"learning_rate\": \"fast\"}"), "\(url.path): learning_rate: expected a number")
        XCTAssertEqual(message("{\"steps\": -1}"), "\(url.path): training config: steps must be >= 0, got -1")
        XCTAssertEqual(message("{\"steps\": "), "\(url.path): not valid JSON")
        XCTAssertTrue(message("{\"schedule\": \"step\"}").hasSuffix("schedule must be one of cosine, linear, constant; got \"step\""))
        try Data("{\"steps\": 12, \"d_model\": 128}".utf8).write(to: url)
        XCTAssertEqual(try TrainingConfig(contentsOf: url).steps, 12)
        XCTAssertTrue(message("").hasSuffix("not valid JSON"))
        XCTAssertThrowsError(try TrainingConfig(contentsOf: folder.appendingPathComponent("absent.json"))) {
            XCTAssertTrue("\($0)".contains("absent.json: cannot read the training config"), "\($0)")
        }
    }
}
