import EHR
import SequoiaKit
import XCTest

final class EvalMetricsTests: XCTestCase {
    // A fixed example with tied scores (across and within classes).
    let labels = [1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0].map { $0 == 1 }
    let probabilities = [0.9, 0.1, 0.4, 0.35, 0.8, 0.7, 0.2, 0.2, 0.5, 0.3, 0.6, 0.1, 0.9, 0.45, 0.05, 0.3, 0.55, 0.2, 0.6, 0.15,
                         0.25, 0.65, 0.5, 0.1, 0.3, 0.35, 0.7, 0.2, 0.85, 0.4]

    /// Reference values made once with scikit-learn 1.9.1 and numpy in a venv: roc_auc_score,
    /// average_precision_score and brier_score_loss on the example above, and for the intervals the same
    /// metrics on the 1,000 resamples SequoiaKit's Bootstrap draws with seed 7 (its xoshiro256** generator,
    /// SplitMix64-seeded, and Swift's bounded-integer rule re-implemented in Python), read with
    /// numpy.percentile at 2.5 and 97.5. No replicate was skipped.
    func testMetricsAndIntervalsMatchScikitLearn() {
        let m = BootstrappedMetrics.evaluate(labels: labels, probabilities: probabilities, seed: 7)
        XCTAssertEqual(m.count, 30)
        XCTAssertEqual(m.positives, 11)
        let expected: [(BootstrapInterval?, Double, Double, Double)] = [
            (m.auroc, 0.7440191387559808, 0.5239234449760766, 0.9282296650717704),
            (m.auprc, 0.686200662083015, 0.3970151828847481, 0.9010087976720935),
            (m.brier, 0.19408333333333336, 0.12506666666666666, 0.2703083333333333),
        ]
        for (interval, estimate, lower, upper) in expected {
            guard let interval else { return XCTFail("missing interval") }
            XCTAssertEqual(interval.estimate, estimate, accuracy: 1e-12)
            XCTAssertEqual(interval.lower, lower, accuracy: 1e-12)
            XCTAssertEqual(interval.upper, upper, accuracy: 1e-12)
            XCTAssertEqual(interval.replicates, 1000)
            XCTAssertEqual(interval.skipped, 0)
            XCTAssertEqual(interval.confidence, 0.95)
        }
    }

    func testSeededIntervalsAreReproducibleAndSeedDependent() {
        let a = BootstrappedMetrics.evaluate(labels: labels, probabilities: probabilities, seed: 3)
        XCTAssertEqual(a, BootstrappedMetrics.evaluate(labels: labels, probabilities: probabilities, seed: 3))
        XCTAssertNotEqual(a.auroc, BootstrappedMetrics.evaluate(labels: labels, probabilities: probabilities, seed: 4).auroc)
    }

    func testUndefinedMetricsAreNil() {
        let oneClass = BootstrappedMetrics.evaluate(labels: [false, false, false], probabilities: [0.1, 0.5, 0.2], seed: 0)
        XCTAssertNil(oneClass.auroc)
        XCTAssertNil(oneClass.auprc)
        XCTAssertEqual(oneClass.brier?.estimate ?? -1, (0.01 + 0.25 + 0.04) / 3, accuracy: 1e-15)
        let empty = BootstrappedMetrics.evaluate(labels: [], probabilities: [], seed: 0)
        XCTAssertEqual(empty.count, 0)
        XCTAssertNil(empty.auroc)
        XCTAssertNil(empty.brier)
    }

    func testJoinCountsUnmatchedRowsAndRejectsBadKeys() throws {
        let labels = [
            PredictionLabel(subjectID: 2, predictionTime: 10, value: 1),
            PredictionLabel(subjectID: 1, predictionTime: 10, value: 0),
            PredictionLabel(subjectID: 1, predictionTime: 20, value: 1),
            PredictionLabel(subjectID: 3, predictionTime: 10, value: 0),
        ]
        let scores = [
            PredictionScore(subjectID: 1, predictionTime: 20, probability: 0.8),
            PredictionScore(subjectID: 2, predictionTime: 10, probability: 0.7),
            PredictionScore(subjectID: 1, predictionTime: 10, probability: 0.1),
            PredictionScore(subjectID: 2, predictionTime: 11, probability: 0.5),
        ]
        let joined = try ScoredLabels.join(scores: scores, labels: labels, scoresSource: "s.csv", labelsSource: "l.csv")
        XCTAssertEqual(joined.labels.map(\.subjectID), [1, 1, 2])
        XCTAssertEqual(joined.labels.map(\.predictionTime), [10, 20, 10])
        XCTAssertEqual(joined.outcomes, [false, true, true])
        XCTAssertEqual(joined.probabilities, [0.1, 0.8, 0.7])
        XCTAssertEqual(joined.labelsWithoutScore, 1)
        XCTAssertEqual(joined.scoresWithoutLabel, 1)

        XCTAssertThrowsError(try ScoredLabels.join(scores: [scores[3]], labels: labels, scoresSource: "s.csv", labelsSource: "l.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("s.csv: none of its 1 score(s) matches one of the 4 label(s) in l.csv"), "\($0)")
        }
        XCTAssertThrowsError(try ScoredLabels.join(scores: scores, labels: labels + [labels[0]], scoresSource: "s.csv", labelsSource: "l.csv")) {
            XCTAssertTrue("\($0)".contains("l.csv: subject 2 at 1970-01-01 00:00:00.000010 is labelled twice"), "\($0)")
        }
        XCTAssertThrowsError(try ScoredLabels.join(scores: scores + [scores[0]], labels: labels, scoresSource: "s.csv", labelsSource: "l.csv")) {
            XCTAssertTrue("\($0)".contains("s.csv: subject 1 at 1970-01-01 00:00:00.000020 is scored twice"), "\($0)")
        }
        let graded = [PredictionLabel(subjectID: 1, predictionTime: 10, value: 2)]
        XCTAssertThrowsError(try ScoredLabels.join(scores: scores, labels: graded, scoresSource: "s.csv", labelsSource: "l.csv")) {
            XCTAssertTrue("\($0)".contains("l.csv: subject 1 at 1970-01-01 00:00:00.000010: label value 2.0 is not binary"), "\($0)")
        }
    }
}
