import XCTest
import SequoiaKit

/// Expected values marked "sklearn" were computed with scikit-learn 1.9.1 (`roc_auc_score`,
/// `average_precision_score`, `brier_score_loss`) on exactly these arrays, in Python, and pasted here.
final class MetricsBinaryTests: XCTestCase {
    let tiedLabels = [true, false, true, false, true, false, false, true, false, true]
    let tiedScores = [0.9, 0.8, 0.8, 0.5, 0.5, 0.5, 0.3, 0.3, 0.1, 0.7]

    func testTiesByHandAndSklearn() throws {
        // By hand: positives at 0.9, 0.8, 0.5, 0.3, 0.7 against negatives 0.8, 0.5, 0.5, 0.3, 0.1:
        // wins 5 + 3.5 + 4 + 2.5 + 3 (ties half) = 18 of 25 = 0.72.
        XCTAssertEqual(try XCTUnwrap(BinaryClassificationMetrics.auroc(labels: tiedLabels, scores: tiedScores)), 0.72, accuracy: 1e-12)
        // By hand: thresholds 0.9, 0.8, 0.7, 0.5, 0.3 add recall 1/5 each at precision 1, 2/3, 3/4, 4/7, 5/9.
        let expected = (1 + 2.0 / 3 + 3.0 / 4 + 4.0 / 7 + 5.0 / 9) / 5
        let ap = try XCTUnwrap(BinaryClassificationMetrics.averagePrecision(labels: tiedLabels, scores: tiedScores))
        XCTAssertEqual(ap, expected, accuracy: 1e-12)
        XCTAssertEqual(ap, 0.7087301587301587, accuracy: 1e-12)  // sklearn
        let brier = try XCTUnwrap(BinaryClassificationMetrics.brierScore(labels: tiedLabels, probabilities: tiedScores))
        XCTAssertEqual(brier, 0.21200000000000002, accuracy: 1e-12)  // sklearn
    }

    func testGeneratedAgainstSklearn() throws {
        let labels = (0..<50).map { ($0 * 13) % 7 < 3 }
        let scores = (0..<50).map { Double(($0 * 37) % 11) / 10 }
        XCTAssertEqual(try XCTUnwrap(BinaryClassificationMetrics.auroc(labels: labels, scores: scores)), 0.5251623376623377, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(BinaryClassificationMetrics.averagePrecision(labels: labels, scores: scores)), 0.47008494031221304, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(BinaryClassificationMetrics.brierScore(labels: labels, probabilities: scores)), 0.33740000000000003, accuracy: 1e-12)
    }

    func testPerfectReversedAndUndefined() {
        let labels = [false, false, true, true]
        XCTAssertEqual(BinaryClassificationMetrics.auroc(labels: labels, scores: [0.1, 0.2, 0.3, 0.4]), 1)
        XCTAssertEqual(BinaryClassificationMetrics.auroc(labels: labels, scores: [0.4, 0.3, 0.2, 0.1]), 0)
        XCTAssertEqual(BinaryClassificationMetrics.auroc(labels: labels, scores: [0.5, 0.5, 0.5, 0.5]), 0.5)
        XCTAssertEqual(BinaryClassificationMetrics.averagePrecision(labels: labels, scores: [0.1, 0.2, 0.3, 0.4]), 1)
        XCTAssertEqual(BinaryClassificationMetrics.averagePrecision(labels: labels, scores: [0.5, 0.5, 0.5, 0.5]), 0.5)
        XCTAssertNil(BinaryClassificationMetrics.auroc(labels: [true, true], scores: [0.1, 0.2]))
        XCTAssertNil(BinaryClassificationMetrics.averagePrecision(labels: [false, false], scores: [0.1, 0.2]))
        XCTAssertEqual(BinaryClassificationMetrics.averagePrecision(labels: [true, true], scores: [0.1, 0.2]), 1)
        XCTAssertNil(BinaryClassificationMetrics.brierScore(labels: [], probabilities: []))
        XCTAssertEqual(BinaryClassificationMetrics.brierScore(labels: [true, false], probabilities: [1, 0]), 0)
    }
}
