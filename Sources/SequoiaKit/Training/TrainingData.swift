import SequoiaTensor

/// A stream of training batches whose place in the data can be saved and restored, so a resumed
/// run draws exactly the batches the uninterrupted run would have.
public protocol TrainingData {
    associatedtype Batch
    /// Everything beyond the generator that decides the next batches (e.g. a cursor, an epoch, a stage).
    associatedtype Position: Codable

    var position: Position { get set }

    /// The next batch. Randomness must come from `rng` (the trainer saves it with checkpoints).
    mutating func next(rng: inout RandomGenerator) throws -> Batch
}
