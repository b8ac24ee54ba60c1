import EHR
import XCTest

final class StratificationTests: XCTestCase {
    private let day: Int64 = 86_400_000_000

    func testQuartileCutPointsAndAssignment() {
        // Cut points as numpy.percentile([5, 1, 9, 3, 3, 7, 2, 8, 6, 4], [25, 50, 75]) gives them.
        let values: [Double] = [5, 1, 9, 3, 3, 7, 2, 8, 6, 4]
        let q = Quartiles(of: values)
        XCTAssertEqual(q.cutPoints, [3, 4.5, 6.75])
        XCTAssertEqual(values.map(q.quartile(of:)), [3, 1, 4, 1, 1, 4, 1, 4, 3, 2])
        // Ties at a cut point stay together in the lower quartile; the middle quartiles may then be empty.
        let tied = Quartiles(of: [0, 0, 0, 0, 0, 0.5, 1])
        XCTAssertEqual(tied.cutPoints, [0, 0, 0.25])
        XCTAssertEqual([0, 0.25, 0.5, 1].map(tied.quartile(of:)), [1, 3, 4, 4])
    }

    func testComplexityOfAHandMadeTimeline() {
        let timeline = Timeline(subjectID: 1, events: [
            MEDSEvent(time: nil, code: "SEX//F"),
            MEDSEvent(time: 0, code: "A"),
            MEDSEvent(time: 0, code: "B"),
            MEDSEvent(time: day, code: "A"),
            MEDSEvent(time: 3 * day, code: "C"),
            MEDSEvent(time: 7 * day / 2, code: "A"),
            MEDSEvent(time: 21 * day / 2, code: "B"),
        ])
        let all = TimelineComplexity(events: timeline.events[...])
        XCTAssertEqual(all.length, 7)
        XCTAssertEqual(all.repetition, 3.0 / 7, accuracy: 1e-15)  // 4 distinct codes of 7
        // Gaps between distinct times: 1, 2, 0.5, 7 days (the zero gap inside day 0 is skipped);
        // numpy.std([1, 2, 0.5, 7]) = 2.582997289971478.
        XCTAssertEqual(all.irregularityDays, 2.582997289971478, accuracy: 1e-12)
        XCTAssertEqual(all.value(of: .length), 7)

        // Only what precedes the prediction time counts: SEX//F, A, B, A.
        let early = TimelineComplexity(events: timeline.events(before: 3 * day))
        XCTAssertEqual(early.length, 4)
        XCTAssertEqual(early.repetition, 0.25)
        XCTAssertEqual(early.irregularityDays, 0)  // a single gap has no spread
        XCTAssertEqual(early.value(of: .repetition), 0.25)

        let none = TimelineComplexity(events: timeline.events(before: -day))
        XCTAssertEqual(none, TimelineComplexity(events: [MEDSEvent(time: nil, code: "SEX//F")][...]))
        XCTAssertEqual(none.length, 1)
        XCTAssertEqual(none.repetition, 0)
        XCTAssertEqual(none.irregularityDays, 0)
        XCTAssertEqual(TimelineComplexity(events: [][...]).repetition, 0)
    }

    func testStratifiedMetricsEvaluateEachQuartileOnItsRows() {
        let values: [Double] = [5, 1, 9, 3, 3, 7, 2, 8, 6, 4, 10, 0]
        let labels = [true, false, true, false, true, false, true, true, false, true, false, false]
        let model = [0.9, 0.2, 0.8, 0.3, 0.6, 0.4, 0.7, 0.1, 0.5, 0.65, 0.45, 0.05]
        let baseline = model.map { 1 - $0 }
        let s = Stratification.compute(.length, values: values, labels: labels, model: model, baseline: baseline, replicates: 200, seed: 1)
        XCTAssertEqual(s.stratifier, .length)
        XCTAssertEqual(s.bins.map(\.quartile), [1, 2, 3, 4])
        let cut = Quartiles(of: values)
        XCTAssertEqual(s.quartiles, cut)
        for bin in s.bins {
            let rows = values.indices.filter { cut.quartile(of: values[$0]) == bin.quartile }
            XCTAssertEqual(bin.model.count, rows.count)
            XCTAssertEqual(bin.minimum, rows.map { values[$0] }.min())
            XCTAssertEqual(bin.maximum, rows.map { values[$0] }.max())
            XCTAssertEqual(bin.model, BootstrappedMetrics.evaluate(labels: rows.map { labels[$0] }, probabilities: rows.map { model[$0] },
                                                                   replicates: 200, seed: 1))
            XCTAssertEqual(bin.baseline, BootstrappedMetrics.evaluate(labels: rows.map { labels[$0] }, probabilities: rows.map { baseline[$0] },
                                                                      replicates: 200, seed: 1))
        }
        XCTAssertEqual(s.bins.map(\.model.count).reduce(0, +), values.count)
        XCTAssertNil(Stratification.compute(.length, values: values, labels: labels, model: model, baseline: nil, replicates: 10, seed: 1).bins[0].baseline)
    }
}
