import SequoiaTensor

extension Module {
    /// Runs `body` in eval mode (dropout off) without recording gradients, then puts the module back
    /// in the mode it was in: how evaluations and embedding jobs use a model between training steps.
    public func inferring<T>(_ body: () throws -> T) rethrows -> T {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return try GradMode.withoutGrad(body)
    }
}
