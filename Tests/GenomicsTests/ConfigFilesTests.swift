import Foundation
import Genomics
import SequoiaModels
import XCTest

/// Every shipped pretraining config parses and builds its model, so configs cannot rot.
final class ConfigFilesTests: XCTestCase {
    func testShippedPretrainingConfigsBuild() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("configs/genomics")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix("finetune") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 4, "\(files)")
        var families = Set<String>()
        for file in files {
            let config = try PretrainingConfig(contentsOf: folder.appendingPathComponent(file))
            families.insert(type(of: config.model).family.name)
            _ = try ModelRegistry.shared.build(config.model)
            XCTAssertFalse(config.data.stages.isEmpty, file)
        }
        XCTAssertEqual(families, ["hyena", "mamba", "attention"])
    }
}
