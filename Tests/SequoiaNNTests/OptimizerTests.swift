import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

final class OptimizerTests: XCTestCase {
    /// torch.optim.AdamW's update in float64 for one tensor over a list of gradients.
    private func referenceAdamW(_ p0: [Double], grads: [[Double]], lr: Double, b1: Double, b2: Double,
                                eps: Double, wd: Double) -> [Double] {
        var p = p0
        var m = [Double](repeating: 0, count: p.count), v = m
        for (t, g) in grads.enumerated() {
            let step = Double(t + 1)
            for i in 0..<p.count {
                p[i] *= 1 - lr * wd
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                let mHat = m[i] / (1 - Foundation.pow(b1, step))
                let vHat = v[i] / (1 - Foundation.pow(b2, step))
                p[i] -= lr * mHat / (vHat.squareRoot() + eps)
            }
        }
        return p
    }

    func testAdamWSingleStepMatchesHandComputation() {
        // 11 elements: one SIMD block of 8 plus a scalar tail.
        let p0: [Double] = [0.5, -1, 2, 0.25, -0.75, 3, -2.5, 1.5, 0.1, -0.2, 0]
        let g: [Double] = [0.1, -0.2, 0.3, 1e-3, -4, 2, 0.5, -0.05, 1, 0, -1e-4]
        let p = Tensor(shape: [11], scalars: p0.map(Float.init), requiresGrad: true)
        p.grad = Tensor(shape: [11], scalars: g.map(Float.init))
        let opt = AdamW(parameters: [p], learningRate: 0.01, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0.1)
        opt.step()
        let expected = referenceAdamW(p0, grads: [g], lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.1)
        for (a, e) in zip(p.scalars, expected) { XCTAssertEqual(Double(a), e, accuracy: 1e-6) }
        // The first Adam step moves every element with a non-zero gradient by about lr.
        XCTAssertEqual(Double(p.scalars[0]), 0.5 * (1 - 0.001) - 0.01, accuracy: 1e-6)
        XCTAssertEqual(opt.stepCount, 1)
    }

    func testAdamWThreeStepsMatchReference() {
        let p0: [Double] = [0.3, -0.7, 1.1]
        let grads: [[Double]] = [[0.2, -0.1, 0.05], [-0.3, 0.4, 0.0], [0.1, 0.1, -0.6]]
        let p = Tensor(shape: [3], scalars: p0.map(Float.init), requiresGrad: true)
        let opt = AdamW(parameters: [p], learningRate: 0.05, betas: (0.8, 0.99), eps: 1e-6, weightDecay: 0.5)
        for g in grads {
            p.grad = Tensor(shape: [3], scalars: g.map(Float.init))
            opt.step()
        }
        let expected = referenceAdamW(p0, grads: grads, lr: 0.05, b1: 0.8, b2: 0.99, eps: 1e-6, wd: 0.5)
        for (a, e) in zip(p.scalars, expected) { XCTAssertEqual(Double(a), e, accuracy: 1e-6) }
    }

    func testAdamWSkipsParametersWithoutGradient() {
        let a = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let b = Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
        a.grad = Tensor(shape: [2], scalars: [1, 1])
        let opt = AdamW(parameters: [a, b], learningRate: 0.1)
        opt.step()
        XCTAssertEqual(b.scalars, [3, 4])
        XCTAssertNotEqual(a.scalars, [1, 2])
        XCTAssertEqual(opt.state().scalars["1.step"], 0)
        XCTAssertEqual(opt.state().scalars["0.step"], 1)
        opt.zeroGrad()
        XCTAssertNil(a.grad)
    }

    func testDecaySplitAndNoDecayGroup() {
        var rng = RandomGenerator(seed: 0)
        let named: [(String, Tensor)] = [
            ("layers.0.mixer.in_proj.weight", Tensor.zeros([4, 2])),
            ("layers.0.mixer.in_proj.bias", Tensor.zeros([4])),
            ("layers.0.norm.weight", Tensor.zeros([2])),
            ("layers.0.mixer.A_log", Tensor.zeros([4, 3])),
            ("layers.0.mixer.D", Tensor.zeros([4])),
            ("embeddings.weight", Tensor.randn([5, 2], rng: &rng)),
            ("norm_f.weight", Tensor.zeros([2, 2])),
        ]
        let groups = ParameterGroup.decaySplit(named, weightDecay: 0.1)
        XCTAssertEqual(groups.count, 2)
        XCTAssertEqual(groups[0].weightDecay, 0.1)
        XCTAssertEqual(groups[1].weightDecay, 0)
        let id = { (t: Tensor) in named.first { $0.1 === t }!.0 }
        XCTAssertEqual(groups[0].parameters.map(id), ["layers.0.mixer.in_proj.weight", "layers.0.mixer.A_log", "embeddings.weight"])
        XCTAssertEqual(groups[1].parameters.map(id),
                       ["layers.0.mixer.in_proj.bias", "layers.0.norm.weight", "layers.0.mixer.D", "norm_f.weight"])
        let spareEmbeddings = ParameterGroup.decaySplit(named, weightDecay: 0.1, noDecay: ["norm", "bias", "embed"])
        XCTAssertEqual(spareEmbeddings[0].parameters.map(id), ["layers.0.mixer.in_proj.weight", "layers.0.mixer.A_log"])

        // A no-decay parameter with a zero gradient does not move; a decayed one shrinks by lr*wd.
        let decayed = Tensor.full([2, 2], 1, requiresGrad: true), plain = Tensor.full([2], 1, requiresGrad: true)
        decayed.grad = Tensor.zeros([2, 2])
        plain.grad = Tensor.zeros([2])
        let opt = AdamW(groups: ParameterGroup.decaySplit([("w", decayed), ("b", plain)], weightDecay: 0.5),
                        learningRate: 0.1)
        opt.step()
        XCTAssertEqual(plain.scalars, [1, 1])
        for x in decayed.scalars { XCTAssertEqual(x, 0.95, accuracy: 1e-7) }
    }

    func testGroupLearningRateScale() {
        let a = Tensor.full([1], 0, requiresGrad: true), b = Tensor.full([1], 0, requiresGrad: true)
        a.grad = Tensor.ones([1])
        b.grad = Tensor.ones([1])
        let opt = SGD(groups: [ParameterGroup(parameters: [a]), ParameterGroup(parameters: [b], learningRateScale: 0.5)],
                      learningRate: 0.2)
        opt.step()
        XCTAssertEqual(a.scalars[0], -0.2, accuracy: 1e-7)
        XCTAssertEqual(b.scalars[0], -0.1, accuracy: 1e-7)
    }

    func testSGDMomentumTwoSteps() {
        let p = Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
        let opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        p.grad = Tensor(shape: [2], scalars: [0.5, -1])
        opt.step()
        // Step 1: buf = g1.
        XCTAssertEqual(p.scalars[0], 1 - 0.05, accuracy: 1e-6)
        XCTAssertEqual(p.scalars[1], 2 + 0.1, accuracy: 1e-6)
        p.grad = Tensor(shape: [2], scalars: [0.2, 0.4])
        opt.step()
        // Step 2: buf = 0.9 * g1 + g2 = [0.65, -0.5].
        XCTAssertEqual(p.scalars[0], 0.95 - 0.065, accuracy: 1e-6)
        XCTAssertEqual(p.scalars[1], 2.1 + 0.05, accuracy: 1e-6)
        let buffer = opt.state().tensors["0.momentum_buffer"]?.scalars ?? []
        XCTAssertEqual(buffer.count, 2)
        for (b, e) in zip(buffer, [0.65, -0.5] as [Float]) { XCTAssertEqual(b, e, accuracy: 1e-6) }
    }

    func testSGDNesterovWeightDecayAndDampening() {
        // Reference in float64 following torch.optim.SGD.
        func reference(nesterov: Bool, dampening: Double) -> [Double] {
            var p: [Double] = [1, -2], buf: [Double]? = nil
            let (lr, mu, wd) = (0.1, 0.9, 0.01)
            for g0 in [[0.5, 0.25], [-0.3, 1.0], [0.2, -0.1]] {
                let g = zip(g0, p).map { $0 + wd * $1 }
                if let b = buf { buf = zip(b, g).map { mu * $0 + (1 - dampening) * $1 } } else { buf = g }
                let d = nesterov ? zip(g, buf!).map { $0 + mu * $1 } : buf!
                p = zip(p, d).map { $0 - lr * $1 }
            }
            return p
        }
        for (nesterov, dampening) in [(true, 0.0), (false, 0.3)] {
            let p = Tensor(shape: [2], scalars: [1, -2], requiresGrad: true)
            let opt = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, dampening: Float(dampening),
                          weightDecay: 0.01, nesterov: nesterov)
            for g in [[0.5, 0.25], [-0.3, 1.0], [0.2, -0.1]] as [[Float]] {
                p.grad = Tensor(shape: [2], scalars: g)
                opt.step()
            }
            for (a, e) in zip(p.scalars, reference(nesterov: nesterov, dampening: dampening)) {
                XCTAssertEqual(Double(a), e, accuracy: 1e-6, "nesterov \(nesterov)")
            }
        }
    }

    func testPlainSGDStep() {
        let p = Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
        p.grad = Tensor(shape: [3], scalars: [1, -1, 0.5])
        SGD(parameters: [p], learningRate: 0.5).step()
        XCTAssertEqual(p.scalars, [0.5, 2.5, 2.75])
    }
}
