import SequoiaTensor

/// Stochastic gradient descent with momentum, dampening, Nesterov and L2 weight decay, step
/// for step as torch.optim.SGD (the first momentum step copies the gradient).
public final class SGD: Optimizer {
    public var learningRate: Float
    /// torch.optim.SGD's momentum, dampening and nesterov (weight decay lives in the groups).
    public var momentum: Float
    public var dampening: Float
    public var nesterov: Bool
    public let groups: [ParameterGroup]
    private var buffers: [Tensor?]

    public init(groups: [ParameterGroup], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov needs momentum and zero dampening")
        self.groups = groups
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        buffers = Array(repeating: nil, count: groups.reduce(0) { $0 + $1.parameters.count })
    }

    public convenience init(parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                            weightDecay: Float = 0, nesterov: Bool = false) {
        self.init(groups: [ParameterGroup(parameters: parameters, weightDecay: weightDecay)],
                  learningRate: learningRate, momentum: momentum, dampening: dampening, nesterov: nesterov)
    }

    public func step() {
        GradMode.withoutGrad {
            var index = 0
            for group in groups {
                let lr = learningRate * group.learningRateScale
                for p in group.parameters {
                    defer { index += 1 }
                    guard let g = p.grad else { continue }
                    precondition(g.shape == p.shape, "gradient \(g.shape) for parameter \(p.shape)")
                    var first = false
                    if momentum != 0 && buffers[index] == nil {
                        buffers[index] = Tensor(uninitialized: p.shape)
                        first = true
                    }
                    sgdKernel(p.pointer, g.pointer, buffers[index]?.pointer, count: p.count, lr: lr,
                              weightDecay: group.weightDecay, momentum: momentum, dampening: dampening,
                              nesterov: nesterov, firstStep: first)
                }
            }
        }
    }

    public func state() -> OptimizerState {
        var state = OptimizerState()
        for (i, b) in buffers.enumerated() {
            if let b { state.tensors["\(i).momentum_buffer"] = b.detached() }
        }
        return state
    }

    public func load(state: OptimizerState) throws {
        let params = parameters
        try state.validateKeys(count: params.count, names: ["momentum_buffer"])
        buffers = try params.enumerated().map { i, p in try state.tensor("\(i).momentum_buffer", like: p) }
    }
}

private func sgdKernel(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>,
                       _ buf: UnsafeMutablePointer<Float>?, count: Int, lr: Float, weightDecay: Float,
                       momentum: Float, dampening: Float, nesterov: Bool, firstStep: Bool) {
    let keep = 1 - dampening
    Parallel.forChunks(count, grain: 1 << 15) { r in
        for i in r {
            var d = weightDecay != 0 ? g[i] + weightDecay * p[i] : g[i]
            if let buf {
                let b = firstStep ? d : buf[i] * momentum + keep * d
                buf[i] = b
                d = nesterov ? d + momentum * b : b
            }
            p[i] = p[i] + (-lr) * d
        }
    }
}
