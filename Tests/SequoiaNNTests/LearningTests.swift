import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

private final class MLP: Module {
    let fc1: Linear
    let fc2: Linear

    init(hidden: Int, rng: inout RandomGenerator) {
        fc1 = Linear(1, hidden, rng: &rng)
        fc2 = Linear(hidden, 1, rng: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { fc2(fc1(x).tanh()) }
}

/// The whole stack learns: a small MLP trained with AdamW fits y = sin(3x) on [-1, 1].
final class LearningTests: XCTestCase {
    func testMLPFitsSine() {
        var rng = RandomGenerator(seed: 11)
        let n = 64
        let xs = (0..<n).map { Float(-1 + 2 * Double($0) / Double(n - 1)) }
        let x = Tensor(shape: [n, 1], scalars: xs)
        let y = Tensor(shape: [n, 1], scalars: xs.map { Foundation.sin(3 * $0) })
        let model = MLP(hidden: 32, rng: &rng)

        func loss() -> Tensor {
            let diff = model(x) - y
            return (diff * diff).mean()
        }
        // The best constant predicts 0 with loss about 0.52 and the best straight line leaves
        // about 0.16; only a model that has learned the curve gets under the threshold.
        let threshold: Float = 0.01
        let untrained = GradMode.withoutGrad { loss().item() }
        XCTAssertGreaterThan(untrained, threshold * 10)

        let opt = AdamW(groups: ParameterGroup.decaySplit(model.namedParameters(), weightDecay: 1e-4),
                        learningRate: 0.02)
        let schedule = LearningRateSchedule.warmupCosine(peak: 0.02, warmupSteps: 20, totalSteps: 600, minRatio: 0.05)
        for step in 0..<600 {
            opt.learningRate = schedule.learningRate(at: step)
            model.zeroGrad()
            let l = loss()
            l.backward()
            let norm = clipGradNorm(model.parameters(), maxNorm: 5)
            XCTAssertTrue(norm.isFinite)
            opt.step()
        }
        let trained = GradMode.withoutGrad { loss().item() }
        XCTAssertLessThan(trained, threshold, "untrained \(untrained)")
    }
}
