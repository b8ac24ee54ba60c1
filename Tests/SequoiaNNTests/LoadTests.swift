import SequoiaNN
import SequoiaTensor
import XCTest

private final class Pair: Module {
    let first: Linear
    let second: Linear
    @Buffer var steps: Tensor

    init(rng: inout RandomGenerator) {
        first = Linear(2, 3, rng: &rng)
        second = Linear(3, 1, rng: &rng)
        steps = Tensor.zeros([1])
    }
}

final class LoadTests: XCTestCase {
    private func makePair(_ seed: UInt64) -> Pair {
        var rng = RandomGenerator(seed: seed)
        return Pair(rng: &rng)
    }

    func testCleanLoadCopiesInPlace() throws {
        let source = makePair(1), target = makePair(2)
        source.steps.fill(7)
        let weightBefore = target.first.weight
        let report = try target.load(stateDict: source.stateDict())
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(report.loaded, ["first.weight", "first.bias", "second.weight", "second.bias", "steps"])
        // The very same tensor object now holds the new values (optimizers keep their references).
        XCTAssertTrue(target.first.weight === weightBefore)
        XCTAssertFalse(target.first.weight === source.first.weight)
        for (name, t) in target.stateDict() { XCTAssertEqual(t.scalars, source.stateDict()[name]!.scalars, name) }
        XCTAssertEqual(target.steps.scalars, [7])
    }

    func testReportListsMissingUnexpectedAndMismatched() throws {
        let target = makePair(2)
        let original = target.second.weight.scalars
        var dict = makePair(1).stateDict()
        dict["first.bias"] = nil
        dict["second.weight"] = Tensor.zeros([1, 4])
        dict["extra.weight"] = Tensor.zeros([2])
        dict["another"] = Tensor.zeros([1])
        let report = try target.load(stateDict: dict, strict: false)
        XCTAssertFalse(report.isClean)
        XCTAssertEqual(report.missing, ["first.bias"])
        XCTAssertEqual(report.unexpected, ["another", "extra.weight"])
        XCTAssertEqual(report.mismatched, [ShapeMismatch(name: "second.weight", expected: [1, 3], found: [1, 4])])
        XCTAssertEqual(report.loaded, ["first.weight", "second.bias", "steps"])
        XCTAssertEqual(target.second.weight.scalars, original, "a mismatched tensor is left untouched")
        XCTAssertEqual(target.first.weight.scalars, dict["first.weight"]!.scalars)
    }

    func testStrictLoadThrowsAndCopiesNothing() {
        let target = makePair(2)
        let before = target.stateDict().mapValues(\.scalars)
        var dict = makePair(1).stateDict()
        dict["first.bias"] = nil
        dict["bogus"] = Tensor.zeros([1])
        XCTAssertThrowsError(try target.load(stateDict: dict)) { error in
            guard let e = error as? ModuleLoadError else { return XCTFail("wrong error \(error)") }
            XCTAssertEqual(e.report.missing, ["first.bias"])
            XCTAssertEqual(e.report.unexpected, ["bogus"])
            XCTAssertTrue(e.description.contains("first.bias") && e.description.contains("bogus"), e.description)
        }
        XCTAssertEqual(target.stateDict().mapValues(\.scalars), before)
    }

    func testStrictLoadThrowsOnShapeMismatch() {
        let target = makePair(2)
        var dict = makePair(1).stateDict()
        dict["first.weight"] = Tensor.zeros([2, 3])
        XCTAssertThrowsError(try target.load(stateDict: dict)) { error in
            let report = (error as? ModuleLoadError)?.report
            XCTAssertEqual(report?.mismatched, [ShapeMismatch(name: "first.weight", expected: [3, 2], found: [2, 3])])
            XCTAssertTrue("\(error)".contains("first.weight"))
        }
    }
}
