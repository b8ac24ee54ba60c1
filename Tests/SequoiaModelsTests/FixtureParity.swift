import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

/// Tests/Fixtures/<name>: PyTorch reference checkpoints with their inputs, outputs and
/// gradients (see Tests/Fixtures/README.md). They ship with the project.
func fixtureDirectory(_ name: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name)
}

/// Error of `a` against `b` relative to b's largest magnitude (the fixtures' README metric).
func relativeError(_ a: Tensor, _ b: Tensor) -> Double {
    let scale = b.scalars.reduce(0) { max($0, Double(Swift.abs($1))) }
    let worst = zip(a.scalars, b.scalars).reduce(0) { max($0, Double(Swift.abs($1.0 - $1.1))) }
    return scale > 0 ? worst / scale : worst
}

/// Loads the fixture's model folder, runs forward and backward on its inputs, and checks
/// logits, every hidden state, the loss and every parameter gradient against the reference.
func checkFixtureParity(_ name: String, outputs: Double, gradients: Double, loss lossTolerance: Double,
                        file: StaticString = #filePath, line: UInt = #line) throws {
    let dir = fixtureDirectory(name)
    let model = try ModelDirectory.load(dir)
    let io = try SafeTensors(contentsOf: dir.appendingPathComponent("io.safetensors"))
    let result = try ReferenceRun.run(model, inputs: io, gradients: true)

    var checked = 0
    for expectedName in io.names where expectedName == "logits" || expectedName == "loss"
        || expectedName.hasPrefix("hidden_states.") || expectedName.hasPrefix("grad.") {
        guard let ours = result[expectedName] else {
            XCTFail("\(name): we produce no '\(expectedName)'", file: file, line: line)
            continue
        }
        let expected = try io.tensor(expectedName)
        XCTAssertEqual(ours.shape, expected.shape, "\(name): shape of \(expectedName)", file: file, line: line)
        guard ours.shape == expected.shape else { continue }
        checked += 1
        if expectedName == "loss" {
            XCTAssertEqual(Double(ours.item()), Double(expected.item()), accuracy: lossTolerance,
                           "\(name): loss", file: file, line: line)
        } else {
            let tolerance = expectedName.hasPrefix("grad.") ? gradients : outputs
            let e = relativeError(ours, expected)
            XCTAssertLessThanOrEqual(e, tolerance, "\(name): \(expectedName) relative error \(e)", file: file, line: line)
        }
    }
    let extra = result.keys.filter { !io.contains($0) }.sorted()
    XCTAssertEqual(extra, [], "\(name): outputs the reference does not have", file: file, line: line)
    XCTAssertGreaterThan(checked, 4, file: file, line: line)
}
