import SequoiaKit
import SequoiaTensor

/// Training batches of random genome windows, following the sequence-length warm-up: each
/// stage has its own sampler (and generator), so the stream is the same whether or not a run
/// was interrupted.
public struct GenomeWindows: TrainingData {
    public struct Position: Codable {
        public var samplers: [WindowSampler.State]
        /// Micro-batches drawn so far.
        public var drawn: Int
    }

    let source: SequenceSource
    let recipe: GenomeDataRecipe
    let accumulation: Int
    var samplers: [WindowSampler]
    var drawn = 0

    public init(source: SequenceSource, regions: [GenomicRegion], recipe: GenomeDataRecipe,
                accumulation: Int, seed: UInt64) throws {
        self.source = source
        self.recipe = recipe
        self.accumulation = accumulation
        samplers = try recipe.stages.enumerated().map { i, stage in
            try WindowSampler(regions: regions, length: stage.length, seed: seed &+ UInt64(i) &* 7919,
                              reverseComplementProbability: recipe.reverseComplement, source: source)
        }
    }

    public var position: Position {
        get { Position(samplers: samplers.map(\.state), drawn: drawn) }
        set {
            for (i, s) in newValue.samplers.enumerated() where i < samplers.count { samplers[i].state = s }
            drawn = newValue.drawn
        }
    }

    /// Token ids [batch, length] for the current stage.
    public mutating func next(rng: inout RandomGenerator) throws -> IndexTensor {
        let stage = recipe.stage(at: drawn / accumulation)
        let spec = recipe.stages[stage]
        var ids: [Int32] = []
        ids.reserveCapacity(spec.batch * spec.length)
        for window in samplers[stage].next(spec.batch) { ids += try window.tokens(from: source) }
        drawn += 1
        return IndexTensor(shape: [spec.batch, spec.length], scalars: ids)
    }
}
