import XCTest
import SequoiaKit

/// Expected values marked "sklearn" were computed with scikit-learn 1.9.1 (`matthews_corrcoef`,
/// `f1_score(average="macro")`, `accuracy_score`) on exactly these arrays, in Python, and pasted here.
final class MetricsClassificationTests: XCTestCase {
    func testThreeClassByHandAndSklearn() {
        let m = ConfusionMatrix(truth: [0, 0, 1, 1, 2, 2, 2, 0, 1, 2], predicted: [0, 1, 1, 1, 2, 0, 2, 0, 2, 2], classCount: 3)
        XCTAssertEqual(m.counts, [2, 1, 0, 0, 2, 1, 1, 0, 3])
        XCTAssertEqual(m[2, 0], 1)
        XCTAssertEqual(m.total, 10)
        XCTAssertEqual(m.truthTotals, [3, 3, 4])
        XCTAssertEqual(m.predictedTotals, [3, 3, 4])
        XCTAssertEqual(m.accuracy, 0.7, accuracy: 1e-15)
        // By hand: (7*10 - 34) / sqrt((100 - 34) * (100 - 34)) = 36/66; sklearn: 0.5454545454545454.
        XCTAssertEqual(m.matthewsCorrelation, 36.0 / 66.0, accuracy: 1e-15)
        XCTAssertEqual(m.matthewsCorrelation, 0.5454545454545454, accuracy: 1e-12)
        // By hand: F1 = 2/3, 2/3, 3/4, mean 25/36; sklearn: 0.6944444444444443.
        XCTAssertEqual(m.f1PerClass, [2.0 / 3, 2.0 / 3, 0.75], "per-class F1")
        XCTAssertEqual(m.macroF1, 25.0 / 36.0, accuracy: 1e-12)
    }

    func testBinaryMatchesTheTwoByTwoFormula() {
        let m = ConfusionMatrix(truth: [1, 1, 0, 0, 1, 0, 1, 0], predicted: [1, 0, 0, 1, 1, 0, 1, 1], classCount: 2)
        // TP 3, FN 1, FP 2, TN 2: (3*2 - 2*1) / sqrt(5*4*4*3); sklearn: 0.2581988897471611.
        XCTAssertEqual(m.matthewsCorrelation, 4 / (240.0).squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(m.matthewsCorrelation, 0.2581988897471611, accuracy: 1e-12)
        XCTAssertEqual(m.macroF1, 0.6190476190476191, accuracy: 1e-12)  // sklearn
        XCTAssertEqual(m.accuracy, 5.0 / 8, accuracy: 1e-15)
    }

    func testAbsentClassesFollowSklearnLabels() {
        // Class 2 is only predicted and class 3 never appears: sklearn's macro F1 averages over {0, 1, 2}.
        let m = ConfusionMatrix(truth: [0, 1, 1, 0, 1], predicted: [0, 1, 2, 0, 0], classCount: 4)
        XCTAssertEqual(m.matthewsCorrelation, 0.4629100498862757, accuracy: 1e-12)  // sklearn
        XCTAssertEqual(m.macroF1, 0.43333333333333335, accuracy: 1e-12)  // sklearn
    }

    func testFiveClassGeneratedAgainstSklearn() {
        let truth = (0..<60).map { ($0 * 7) % 5 }
        let predicted = (0..<60).map { $0 % 3 != 0 ? ($0 * 7) % 5 : ($0 * 3) % 5 }
        let m = ConfusionMatrix(truth: truth, predicted: predicted, classCount: 5)
        XCTAssertEqual(m.matthewsCorrelation, 0.6666666666666666, accuracy: 1e-12)  // sklearn
        XCTAssertEqual(m.macroF1, 0.7333333333333332, accuracy: 1e-12)  // sklearn
        XCTAssertEqual(m.accuracy, 0.7333333333333333, accuracy: 1e-12)  // sklearn
    }

    func testDegenerateCases() {
        XCTAssertEqual(ConfusionMatrix(truth: [0, 1, 2], predicted: [0, 1, 2], classCount: 3).matthewsCorrelation, 1, accuracy: 1e-15)
        XCTAssertEqual(ConfusionMatrix(truth: [0, 1], predicted: [1, 0], classCount: 2).matthewsCorrelation, -1, accuracy: 1e-15)
        // Every prediction in one class: undefined, reported 0 as sklearn does.
        XCTAssertEqual(ConfusionMatrix(truth: [0, 1, 1], predicted: [1, 1, 1], classCount: 2).matthewsCorrelation, 0)
        let empty = ConfusionMatrix(classCount: 2)
        XCTAssertEqual(empty.accuracy, 0)
        XCTAssertEqual(empty.macroF1, 0)
        XCTAssertEqual(empty.matthewsCorrelation, 0)
    }

    func testLanguageModelScore() {
        var score = LanguageModelScore()
        XCTAssertTrue(score.meanNats.isNaN)
        score.add(probability: 0.25)
        score.add(probability: 0.5)
        // -ln(1/4) - ln(1/2) = 3 ln 2 over 2 tokens: 1.5 bits, perplexity 2^1.5.
        XCTAssertEqual(score.tokenCount, 2)
        XCTAssertEqual(score.meanNats, 1.5 * log(2.0), accuracy: 1e-15)
        XCTAssertEqual(score.bitsPerToken, 1.5, accuracy: 1e-15)
        XCTAssertEqual(score.perplexity, pow(2.0, 1.5), accuracy: 1e-12)
        var other = LanguageModelScore(totalNats: 4 * log(4.0), tokenCount: 4)
        XCTAssertEqual(other.bitsPerToken, 2, accuracy: 1e-15)
        XCTAssertEqual(other.perplexity, 4, accuracy: 1e-12)
        other.add(score)
        XCTAssertEqual(other.tokenCount, 6)
        XCTAssertEqual(other.bitsPerToken, (8 + 3) / 6.0, accuracy: 1e-12)
    }
}
