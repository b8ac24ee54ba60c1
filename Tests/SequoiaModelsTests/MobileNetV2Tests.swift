import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

/// The frame encoder against PyTorch: the shipped ImageNet MobileNetV2 on the reference's own
/// preprocessed inputs, every stored intermediate map and the pooled features.
final class MobileNetV2Tests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let weights = root.appendingPathComponent("Plugins/Video/Resources/mobilenetv2_imagenet")

    private func fixture() throws -> SafeTensors {
        let url = Self.root.deletingLastPathComponent().appendingPathComponent("shared/models/mobilenetv2_imagenet/io.safetensors")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(url.path) is absent (the parity fixture stays in ../shared: its photos are benchmark crops)")
        }
        return try SafeTensors(contentsOf: url)
    }

    func testParityWithPyTorchOnEveryStoredMap() throws {
        let io = try fixture()
        let encoder = try MobileNetV2(directory: Self.weights)
        XCTAssertEqual(encoder.stageCount, 19)
        let pixels = try io.tensor("pixel_values").permuted([0, 2, 3, 1])
        let stages = [0, 3, 6, 13, 17, 18]
        let ours = encoder.features(pixels, keeping: Set(stages))
        for stage in stages {
            let expected = try io.tensor("hidden.features.\(stage)")
            let got = try XCTUnwrap(ours[stage]).permuted([0, 3, 1, 2])
            XCTAssertEqual(got.shape, expected.shape, "features.\(stage)")
            let e = relativeError(got, expected)
            XCTAssertLessThanOrEqual(e, 1e-5, "features.\(stage): relative error \(e)")
        }
        let pooled = encoder.featureMap(pixels).mean(axis: 1).mean(axis: 1)
        XCTAssertLessThanOrEqual(relativeError(pooled, try io.tensor("pooled")), 1e-5)
    }

    func testBadFoldersFailWithOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mnv2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertThrowsError(try MobileNetV2(directory: folder)) { XCTAssertTrue("\($0)".contains("cannot read the encoder config")) }
        let config = try String(contentsOf: Self.weights.appendingPathComponent("config.json"), encoding: .utf8)
        try config.replacingOccurrences(of: "[6, 320, 1, 1]", with: "[6, 320, 2, 1]").replacingOccurrences(of: "320,\n   1,", with: "320,\n   2,")
            .write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(at: Self.weights.appendingPathComponent("model.safetensors"),
                                         to: folder.appendingPathComponent("model.safetensors"))
        XCTAssertThrowsError(try MobileNetV2(directory: folder)) {
            XCTAssertTrue("\($0)".contains("model.safetensors"), "\($0)")
            XCTAssertFalse("\($0)".contains("\n"))
        }
    }
}
