import Foundation
import SequoiaTensor
import XCTest

/// Mean over kept rows of log-sum-exp(row) - row[target], from the definition.
private func crossEntropyReference(_ x: [Double], classes: Int, targets: [Int32], ignore: Int32) -> Double {
    var total = 0.0, kept = 0
    for (r, t) in targets.enumerated() where t != ignore {
        let row = Array(x[(r * classes)..<((r + 1) * classes)])
        total += logSumExpReference(row) - row[Int(t)]
        kept += 1
    }
    return kept == 0 ? 0 : total / Double(kept)
}

final class CrossEntropyTests: XCTestCase {
    func testBatchOfSequencesWithIgnoredPositions() {
        let targets = IndexTensor(shape: [2, 3], scalars: [4, -100, 0, 2, 1, -100])
        checkOp("cross-entropy [B, L, V]", shapes: [[2, 3, 5]], ranges: [-3...3],
                op: { crossEntropy(logits: $0[0], targets: targets) },
                reference: { x in [crossEntropyReference(x[0], classes: 5, targets: targets.scalars, ignore: -100)] })
    }

    func testWideVocabularyAndCustomIgnoreIndex() {
        // V = 19: two SIMD vectors plus a ragged tail; class 3 doubles as the ignore label.
        let targets = IndexTensor(shape: [4], scalars: [18, 3, 0, 7])
        checkOp("cross-entropy V=19", shapes: [[4, 19]], ranges: [-5...5],
                op: { crossEntropy(logits: $0[0], targets: targets, ignoreIndex: 3) },
                reference: { x in [crossEntropyReference(x[0], classes: 19, targets: targets.scalars, ignore: 3)] })
    }

    func testEveryVocabularyWidth() {
        for classes in 1...17 {
            let targets = IndexTensor(shape: [3], scalars: [0, Int32(classes - 1), Int32(classes / 2)])
            checkOp("cross-entropy V=\(classes)", shapes: [[3, classes]], ranges: [-4...4],
                    op: { crossEntropy(logits: $0[0], targets: targets) },
                    reference: { x in [crossEntropyReference(x[0], classes: classes, targets: targets.scalars, ignore: -100)] })
        }
    }

    func testLargeLogitsStayFinite() {
        let targets = IndexTensor(shape: [3], scalars: [0, 2, 1])
        checkOp("cross-entropy large logits", shapes: [[3, 6]], ranges: [400...404],
                op: { crossEntropy(logits: $0[0], targets: targets) },
                reference: { x in [crossEntropyReference(x[0], classes: 6, targets: targets.scalars, ignore: -100)] })
    }

    func testAllIgnoredGivesZeroLossAndGradient() {
        var rng = RandomGenerator(seed: 2)
        let logits = Tensor.randn([2, 3, 4], rng: &rng, requiresGrad: true)
        let loss = crossEntropy(logits: logits, targets: IndexTensor(shape: [2, 3], scalars: [Int32](repeating: -100, count: 6)))
        XCTAssertEqual(loss.shape, [])
        XCTAssertEqual(loss.item(), 0)
        loss.backward()
        XCTAssertEqual(logits.grad?.scalars, [Float](repeating: 0, count: 24))
    }

    func testLargeBatchMatchesReference() {
        // Big enough to run rows in parallel; a seventh of the rows ignored.
        var rng = RandomGenerator(seed: 9)
        let rows = 256, classes = 300
        let logits = Tensor.randn([rows, classes], std: 3, rng: &rng)
        let ids = (0..<rows).map { Int32($0 % 7 == 0 ? -100 : ($0 * 37) % classes) }
        let loss = crossEntropy(logits: logits, targets: IndexTensor(shape: [rows], scalars: ids)).item()
        let want = crossEntropyReference(logits.scalars.map(Double.init), classes: classes, targets: ids, ignore: -100)
        XCTAssertEqual(Double(loss), want, accuracy: 1e-5 * Swift.max(1, Swift.abs(want)))
    }
}
