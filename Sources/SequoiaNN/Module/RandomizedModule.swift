import SequoiaTensor

/// A module that draws random numbers while it runs (dropout's masks) from a generator of its own.
/// The trainer saves and restores every such generator with a checkpoint, by module path, so a
/// resumed run draws what the uninterrupted one would have.
public protocol RandomizedModule: Module {
    var rng: RandomGenerator { get set }
}
