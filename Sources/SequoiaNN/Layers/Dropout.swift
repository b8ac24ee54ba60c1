import SequoiaTensor

/// Inverted dropout while training, identity in eval mode. Owns its generator so a training
/// run that saves and restores `rng` replays the same masks.
public final class Dropout: Module, RandomizedModule {
    public let p: Float
    public var rng: RandomGenerator

    public init(p: Float, rng: RandomGenerator) {
        precondition(p >= 0 && p < 1, "dropout probability \(p) outside [0, 1)")
        self.p = p
        self.rng = rng
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard isTraining && p > 0 else { return x }
        return dropout(x, p: p, rng: &rng)
    }
}
