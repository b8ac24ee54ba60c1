import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

/// Training resumed from saved optimizer state must continue bit for bit.
final class OptimizerResumeTests: XCTestCase {
    private func makeParameters() -> [Tensor] {
        var rng = RandomGenerator(seed: 42)
        // 37 and 3x5: both exercise the SIMD body and the scalar tail.
        return [Tensor.randn([37], rng: &rng, requiresGrad: true),
                Tensor.randn([3, 5], rng: &rng, requiresGrad: true),
                Tensor.randn([1], rng: &rng, requiresGrad: true)]
    }

    /// A gradient that depends on the parameters and the step, like a real loss would.
    private func setGradients(_ params: [Tensor], step: Int) {
        GradMode.withoutGrad {
            let shift = Float(step % 3) * 0.1
            for p in params { p.grad = p * p - shift + p * 0.5 }
        }
    }

    private func train(_ params: [Tensor], _ opt: Optimizer, steps: Range<Int>) {
        let schedule = LearningRateSchedule.warmupCosine(peak: 0.05, warmupSteps: 2, totalSteps: 8)
        for step in steps {
            opt.learningRate = schedule.learningRate(at: step)
            setGradients(params, step: step)
            opt.step()
        }
    }

    private func checkResume(_ make: ([Tensor]) -> Optimizer, throughFile: Bool) throws {
        let reference = makeParameters()
        train(reference, make(reference), steps: 0..<8)

        let first = makeParameters()
        let opt = make(first)
        train(first, opt, steps: 0..<4)
        var saved = opt.state()
        let savedParams = first.map { $0.detached() }
        if throughFile {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("h5-resume-\(UUID())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("optimizer.safetensors")
            try SafeTensors.write(saved.tensors, metadata: saved.scalarMetadata, to: url)
            let file = try SafeTensors(contentsOf: url)
            saved = OptimizerState(tensors: try file.tensors(), metadata: file.metadata)
        }
        // Keep training the first run, so the export must not alias live state.
        train(first, opt, steps: 4..<6)

        let resumed = savedParams.map { p -> Tensor in
            let t = p.detached()
            t.requiresGrad = true
            return t
        }
        let fresh = make(resumed)
        try fresh.load(state: saved)
        train(resumed, fresh, steps: 4..<8)
        for (a, b) in zip(reference, resumed) {
            XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern))
        }
    }

    func testAdamWResumeIsBitwise() throws {
        let make = { (ps: [Tensor]) -> Optimizer in
            AdamW(groups: [ParameterGroup(parameters: Array(ps[0...1]), weightDecay: 0.1),
                           ParameterGroup(parameters: [ps[2]])])
        }
        try checkResume(make, throughFile: false)
        try checkResume(make, throughFile: true)
    }

    func testSGDResumeIsBitwise() throws {
        let make = { (ps: [Tensor]) -> Optimizer in
            SGD(parameters: ps, learningRate: 0.01, momentum: 0.9, weightDecay: 1e-3, nesterov: true)
        }
        try checkResume(make, throughFile: false)
        try checkResume(make, throughFile: true)
    }

    func testLoadingMismatchedStateThrows() {
        let params = makeParameters()
        let opt = AdamW(parameters: params)
        setGradients(params, step: 0)
        opt.step()
        var state = opt.state()
        state.tensors["0.exp_avg"] = Tensor.zeros([36])
        XCTAssertThrowsError(try AdamW(parameters: makeParameters()).load(state: state))
        var extra = opt.state()
        extra.tensors["9.exp_avg"] = Tensor.zeros([1])
        XCTAssertThrowsError(try AdamW(parameters: makeParameters()).load(state: extra))
    }
}
