import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

/// `sequoia forward` reproduces each fixture's io.safetensors through the CLI.
final class ForwardCommandTests: XCTestCase {
    private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sequoia-\(UUID().uuidString)-\(name)")
    }

    func testReproducesEveryFixture() throws {
        // name: (outputs, gradients, loss) tolerances from the fixtures' README.
        let tolerances: [String: (Double, Double, Double)] = [
            "mamba": (1e-5, 1e-4, 1e-5), "llama": (1e-5, 1e-4, 1e-5),
            "bimamba_s": (1e-5, 1e-4, 1e-5), "hyenadna": (5e-4, 1e-3, 5e-5),
        ]
        for (name, (outTol, gradTol, lossTol)) in tolerances.sorted(by: { $0.key < $1.key }) {
            let dir = fixtures.appendingPathComponent(name)
            let io = dir.appendingPathComponent("io.safetensors")
            let out = temporaryFile("\(name).safetensors")
            defer { try? FileManager.default.removeItem(at: out) }
            let r = try runSequoia(["forward", "--model", dir.path, "--input", io.path, "--output", out.path, "--grads"])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            guard r.status == 0 else { continue }
            let expected = try SafeTensors(contentsOf: io), ours = try SafeTensors(contentsOf: out)
            for tensorName in expected.names where !tensorName.hasSuffix("input_ids") && tensorName != "labels" {
                guard ours.contains(tensorName) else { XCTFail("\(name): no \(tensorName)"); continue }
                let a = try ours.tensor(tensorName), b = try expected.tensor(tensorName)
                let scale = max(b.scalars.map { Swift.abs(Double($0)) }.max() ?? 0, 1e-30)
                let err = zip(a.scalars, b.scalars).map { Swift.abs(Double($0) - Double($1)) }.max() ?? 0
                let tol = tensorName == "loss" ? lossTol : (tensorName.hasPrefix("grad.") ? gradTol * scale : outTol * scale)
                XCTAssertLessThanOrEqual(err, tol, "\(name): \(tensorName)")
            }
        }
    }

    func testClearOneLineErrors() throws {
        let mamba = fixtures.appendingPathComponent("mamba")
        let out = temporaryFile("out.safetensors")
        defer { try? FileManager.default.removeItem(at: out) }

        // Missing model folder.
        var r = try runSequoia(["forward", "--model", "/nonexistent", "--input", "x", "--output", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("/nonexistent/config.json"), r.stderr)

        // An input file without input_ids.
        let noIds = temporaryFile("noids.safetensors")
        defer { try? FileManager.default.removeItem(at: noIds) }
        try SafeTensors.write(["x": Tensor.zeros([1])], to: noIds)
        r = try runSequoia(["forward", "--model", mamba.path, "--input", noIds.path, "--output", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("input_ids"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)

        // A checkpoint that does not fit its config (weights of another model).
        let mixed = FileManager.default.temporaryDirectory.appendingPathComponent("sequoia-mixed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mixed, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mixed) }
        try FileManager.default.copyItem(at: mamba.appendingPathComponent("config.json"), to: mixed.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("llama/model.safetensors"),
                                         to: mixed.appendingPathComponent("model.safetensors"))
        r = try runSequoia(["forward", "--model", mixed.path, "--input", mamba.appendingPathComponent("io.safetensors").path,
                            "--output", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("does not fit the config"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written on failure")

        // A corrupt checkpoint: header length past the end of the file.
        var bytes = Data(count: 16)
        bytes[0] = 0xFF; bytes[1] = 0xFF
        try bytes.write(to: mixed.appendingPathComponent("model.safetensors"))
        r = try runSequoia(["forward", "--model", mixed.path, "--input", mamba.appendingPathComponent("io.safetensors").path,
                            "--output", out.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("model.safetensors"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }
}
