import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

/// A module whose two children share one Linear (tied weights, as BiMamba-S's projections).
private final class Tied: Module {
    let first: Linear
    let second: Linear
    let own: Linear

    init(rng: inout RandomGenerator) {
        first = Linear(3, 2, bias: false, rng: &rng)
        second = first
        own = Linear(2, 2, rng: &rng)
    }
}

final class TiedCheckpointTests: XCTestCase {
    func testTiedWeightsAreStoredOnceAndLoadBack() throws {
        var rng = RandomGenerator(seed: 4)
        let a = Tied(rng: &rng), b = Tied(rng: &rng)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tied-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try a.save(safetensors: url)

        let file = try SafeTensors(contentsOf: url)
        XCTAssertEqual(file.names, ["first.weight", "own.bias", "own.weight"], "the alias is not stored again")
        XCTAssertEqual(file.metadata["tied_aliases"], #"{"second.weight":"first.weight"}"#)

        let report = try b.load(safetensors: url)
        XCTAssertTrue(report.isClean, "\(report)")
        XCTAssertEqual(b.first.weight.scalars, a.first.weight.scalars)
        XCTAssertTrue(b.second.weight === b.first.weight)
        XCTAssertEqual(b.own.bias!.scalars, a.own.bias!.scalars)
    }

    func testIgnoredPrefixesAndUnexpectedNames() throws {
        var rng = RandomGenerator(seed: 5)
        let a = Tied(rng: &rng)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("extra-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        var tensors = a.stateDict()
        tensors["head.weight"] = Tensor.zeros([1])
        try SafeTensors.write(tensors, to: url)
        XCTAssertThrowsError(try Tied(rng: &rng).load(safetensors: url)) {
            XCTAssertTrue("\($0)".contains("head.weight"), "\($0)")
        }
        XCTAssertTrue(try Tied(rng: &rng).load(safetensors: url, ignoring: ["head."]).isClean)
    }
}
