import SequoiaNN
import XCTest

final class ScheduleTests: XCTestCase {
    func testConstant() {
        let s = LearningRateSchedule.constant(3e-4)
        XCTAssertEqual(s.learningRate(at: 0), 3e-4)
        XCTAssertEqual(s.learningRate(at: 1_000_000), 3e-4)
    }

    func testWarmupCosine() {
        let s = LearningRateSchedule.warmupCosine(peak: 1, warmupSteps: 10, totalSteps: 110, minRatio: 0.1)
        XCTAssertEqual(s.learningRate(at: 0), 0.1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 4), 0.5, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 9), 1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 10), 1, accuracy: 1e-7)
        // Halfway through the decay the cosine is at its midpoint.
        XCTAssertEqual(s.learningRate(at: 60), 0.55, accuracy: 1e-6)
        XCTAssertEqual(s.learningRate(at: 35), Float(0.1 + 0.9 * 0.5 * (1 + cos(Double.pi / 4))), accuracy: 1e-6)
        XCTAssertEqual(s.learningRate(at: 110), 0.1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 10_000), 0.1, accuracy: 1e-7)
        // Monotone non-increasing after warmup.
        let after = (10...120).map(s.learningRate(at:))
        XCTAssertTrue(zip(after, after.dropFirst()).allSatisfy { $0 >= $1 })
    }

    func testWarmupLinear() {
        let s = LearningRateSchedule.warmupLinear(peak: 2, warmupSteps: 4, totalSteps: 24)
        XCTAssertEqual(s.learningRate(at: 0), 0.5, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 3), 2, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 4), 2, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 14), 1, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 24), 0, accuracy: 1e-7)
        XCTAssertEqual(s.learningRate(at: 30), 0, accuracy: 1e-7)
        let floor = LearningRateSchedule.warmupLinear(peak: 1, warmupSteps: 0, totalSteps: 10, minRatio: 0.2)
        XCTAssertEqual(floor.learningRate(at: 0), 1, accuracy: 1e-7)
        XCTAssertEqual(floor.learningRate(at: 5), 0.6, accuracy: 1e-7)
        XCTAssertEqual(floor.learningRate(at: 10), 0.2, accuracy: 1e-7)
    }
}
