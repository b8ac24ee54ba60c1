import XCTest
import SequoiaKit

final class MetricsBootstrapTests: XCTestCase {
    /// Mean of `values` at the resampled indices.
    private func mean(_ values: [Double]) -> ([Int]) -> Double? {
        { indices in indices.reduce(0.0) { $0 + values[$1] } / Double(indices.count) }
    }

    func testSeededAndDeterministic() throws {
        let values = (0..<200).map { Double(($0 * 37) % 101) }
        let a = try XCTUnwrap(Bootstrap.interval(sampleCount: 200, replicates: 300, seed: 7, statistic: mean(values)))
        let b = try XCTUnwrap(Bootstrap.interval(sampleCount: 200, replicates: 300, seed: 7, statistic: mean(values)))
        let c = try XCTUnwrap(Bootstrap.interval(sampleCount: 200, replicates: 300, seed: 8, statistic: mean(values)))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.lower, c.lower)
        XCTAssertEqual(a.replicates, 300)
        XCTAssertEqual(a.skipped, 0)
        XCTAssertEqual(a.confidence, 0.95)
    }

    func testMeanIntervalMatchesTheNormalApproximation() throws {
        // 2,000 values spread evenly over 0..<100: the mean's standard error is sd / sqrt(n).
        let values = (0..<2000).map { Double(($0 * 7919) % 2000) / 20 }
        let n = Double(values.count)
        let average = values.reduce(0, +) / n
        let sd = (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / n).squareRoot()
        let halfWidth = 1.959964 * sd / n.squareRoot()
        let ci = try XCTUnwrap(Bootstrap.interval(sampleCount: values.count, replicates: 1000, seed: 1, statistic: mean(values)))
        XCTAssertEqual(ci.estimate, average, accuracy: 1e-9)
        XCTAssertEqual(ci.lower, average - halfWidth, accuracy: 0.15 * halfWidth)
        XCTAssertEqual(ci.upper, average + halfWidth, accuracy: 0.15 * halfWidth)
    }

    func testConstantStatisticAndUndefinedReplicates() throws {
        let constant = try XCTUnwrap(Bootstrap.interval(sampleCount: 5, replicates: 50, seed: 3) { _ in 0.25 })
        XCTAssertEqual(constant.lower, 0.25)
        XCTAssertEqual(constant.upper, 0.25)
        // AUROC on 1 positive in 6: resamples that miss it are undefined and skipped, not counted.
        let labels = [true, false, false, false, false, false]
        let scores = [0.9, 0.1, 0.2, 0.3, 0.4, 0.5]
        let auc = try XCTUnwrap(Bootstrap.interval(sampleCount: 6, replicates: 400, seed: 5) { indices in
            BinaryClassificationMetrics.auroc(labels: indices.map { labels[$0] }, scores: indices.map { scores[$0] })
        })
        XCTAssertEqual(auc.estimate, 1)
        XCTAssertGreaterThan(auc.skipped, 0)
        XCTAssertEqual(auc.replicates + auc.skipped, 400)
        XCTAssertNil(Bootstrap.interval(sampleCount: 3, replicates: 10, seed: 1) { _ in nil })
    }
}
