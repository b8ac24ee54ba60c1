import EHR
import SequoiaKit
import XCTest

final class BaselineTests: XCTestCase {
    private let day: Int64 = 86_400_000_000
    private let year: Int64 = 31_557_600_000_000  // 365.25 days

    /// SplitMix64, so the synthetic cohorts are the same on every run.
    private struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var x = state
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
    }

    func testFeaturesCountCodesBeforeThePredictionTimeWithAgeAndSex() {
        let timeline = Timeline(subjectID: 1, events: [
            MEDSEvent(time: nil, code: "SEX//female"),
            MEDSEvent(time: 0, code: "MEDS_BIRTH"),
            MEDSEvent(time: 10 * day, code: "A"),
            MEDSEvent(time: 11 * day, code: "A"),
            MEDSEvent(time: 12 * day, code: "A"),
            MEDSEvent(time: 12 * day, code: "B"),
            MEDSEvent(time: 40 * year, code: "B"),
        ])
        let other = Timeline(subjectID: 2, events: [MEDSEvent(time: 0, code: "GENDER//M"), MEDSEvent(time: 5, code: "C")])
        let t1 = 20 * year, t2: Int64 = 10
        let histories = [timeline.events(before: t1), other.events(before: t2)]
        let features = CodeCountFeatures(fitting: histories)
        // Ranked by how many histories hold the code, then by name; birth and sex codes are no columns.
        XCTAssertEqual(features.vocabulary, ["A", "B", "C"])
        XCTAssertEqual(features.columnCount, 7)
        let x = features.matrix(histories, predictionTimes: [t1, t2])
        XCTAssertEqual(Array(x[0..<7]), [Float(log1p(3.0)), Float(log1p(1.0)), 0, 20, 1, 0, 1])
        XCTAssertEqual(Array(x[7..<14]), [0, 0, Float(log1p(1.0)), 0, 0, 1, 0])
        XCTAssertEqual(CodeCountFeatures(fitting: histories, maxCodes: 1).vocabulary, ["A"])
    }

    /// Timelines where the outcome follows the code SIGNAL before the prediction time (95% of positives,
    /// 5% of negatives); every negative also gets SIGNAL at or after its prediction time, which a
    /// baseline that looked ahead would seize on.
    private func syntheticCohort(_ count: Int, seed: UInt64) -> (histories: [ArraySlice<MEDSEvent>], times: [Int64], outcomes: [Bool]) {
        var rng = Seeded(state: seed)
        var histories: [ArraySlice<MEDSEvent>] = [], times: [Int64] = [], outcomes: [Bool] = []
        for subject in 0..<count {
            let positive = Bool.random(using: &rng)
            let birth = Int64.random(in: 0..<(30 * year), using: &rng)
            let predictionTime = birth + Int64.random(in: (20 * year)..<(60 * year), using: &rng)
            let events = [MEDSEvent(time: nil, code: Bool.random(using: &rng) ? "GENDER//F" : "GENDER//M"),
                          MEDSEvent(time: birth, code: "MEDS_BIRTH")]
            var visits = (0..<Int.random(in: 2...12, using: &rng)).map { _ in
                MEDSEvent(time: birth + Int64.random(in: 0..<(predictionTime - birth), using: &rng), code: "NOISE\(Int.random(in: 0..<20, using: &rng))")
            }
            if Double.random(in: 0..<1, using: &rng) < (positive ? 0.95 : 0.05) {
                visits.append(MEDSEvent(time: predictionTime - Int64.random(in: 1...(5 * year), using: &rng), code: "SIGNAL"))
            }
            if !positive {
                visits.append(MEDSEvent(time: predictionTime, code: "SIGNAL"))
                visits.append(MEDSEvent(time: predictionTime + 30 * day, code: "SIGNAL"))
            }
            visits.sort { $0.time! < $1.time! }
            let timeline = Timeline(subjectID: Int64(subject), events: events + visits)
            histories.append(timeline.events(before: predictionTime))
            times.append(predictionTime)
            outcomes.append(positive)
        }
        return (histories, times, outcomes)
    }

    func testBaselineLearnsAPlantedSignalWithoutLookingAhead() throws {
        let train = syntheticCohort(300, seed: 1), test = syntheticCohort(300, seed: 2)
        let baseline = try CountBaseline.fit(histories: train.histories, predictionTimes: train.times, outcomes: train.outcomes, seed: 0)
        XCTAssertEqual(baseline.trainRows, 300)
        XCTAssertEqual(baseline.trainPositives, train.outcomes.filter { $0 }.count)
        XCTAssertTrue(baseline.features.vocabulary.contains("SIGNAL"))
        XCTAssertTrue(CountBaseline.l2Grid.contains(baseline.model.l2))
        let p = try baseline.probabilities(histories: test.histories, predictionTimes: test.times)
        XCTAssertEqual(p.count, 300)
        XCTAssertTrue(p.allSatisfy { $0 > 0 && $0 < 1 })
        let auroc = try XCTUnwrap(BinaryClassificationMetrics.auroc(labels: test.outcomes, scores: p))
        XCTAssertGreaterThan(auroc, 0.9)
        let strongest = baseline.strongestCodes(3)
        XCTAssertEqual(strongest.first?.code, "SIGNAL")
        XCTAssertGreaterThan(strongest.first?.weight ?? 0, 0, "the planted code raises the risk")
        XCTAssertEqual(strongest.count, 3)
    }

    func testBaselineIsNearChanceOnShuffledLabels() throws {
        let train = syntheticCohort(300, seed: 3), test = syntheticCohort(300, seed: 4)
        var rng = Seeded(state: 5)
        let shuffled = train.outcomes.shuffled(using: &rng), shuffledTest = test.outcomes.shuffled(using: &rng)
        let baseline = try CountBaseline.fit(histories: train.histories, predictionTimes: train.times, outcomes: shuffled, seed: 0)
        let p = try baseline.probabilities(histories: test.histories, predictionTimes: test.times)
        let auroc = try XCTUnwrap(BinaryClassificationMetrics.auroc(labels: shuffledTest, scores: p))
        XCTAssertEqual(auroc, 0.5, accuracy: 0.1)
    }

    func testFittingNeedsBothOutcomes() {
        let cohort = syntheticCohort(10, seed: 6)
        XCTAssertThrowsError(try CountBaseline.fit(histories: cohort.histories, predictionTimes: cohort.times,
                                                   outcomes: cohort.outcomes.map { _ in false }, seed: 0)) {
            XCTAssertEqual("\($0)", "baseline: the 10 training label(s) hold 0 positive(s); fitting needs both outcomes")
        }
    }
}
