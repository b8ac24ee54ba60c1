import SequoiaTensor

/// Updates parameters in place from their accumulated gradients.
public protocol Optimizer: AnyObject {
    /// Base learning rate; schedules set it before each step.
    var learningRate: Float { get set }
    /// The parameter groups, in the order the state is indexed.
    var groups: [ParameterGroup] { get }
    /// One update of every parameter that has a gradient (parameters without one are skipped).
    func step()
    /// A copy of the optimizer's running state, for checkpoints.
    func state() -> OptimizerState
    /// Restores state exported by `state()` from an optimizer over the same parameters.
    func load(state: OptimizerState) throws
}

extension Optimizer {
    /// Every parameter across groups, in state-index order.
    public var parameters: [Tensor] { groups.flatMap(\.parameters) }

    /// Clears the gradient of every parameter.
    public func zeroGrad() {
        for p in parameters { p.zeroGrad() }
    }
}
