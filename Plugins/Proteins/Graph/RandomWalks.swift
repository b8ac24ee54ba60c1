import SequoiaTensor

/// LC-PLM-G's graph contexts: random walks over the PPI graph, each serialised as one long
/// sequence of the visited proteins' tokens.
public struct RandomWalks: Codable, Equatable, Sendable {
    /// Proteins per walk (distinct; a walk that cannot find new ones ends early).
    public var length: Int
    /// Walks started from every protein with an edge.
    public var walksPerNode: Int
    /// Chance, before each step, of jumping back to the walk's first protein.
    public var restartProbability: Double
    /// Steps pick a neighbour with probability proportional to the edge score (else uniformly).
    public var weighted: Bool

    enum CodingKeys: String, CodingKey {
        case length = "walk_length", walksPerNode = "walks_per_node", restartProbability = "restart_probability", weighted
    }

    public init(length: Int = 4, walksPerNode: Int = 2, restartProbability: Double = 0.1, weighted: Bool = true) {
        self.length = length
        self.walksPerNode = walksPerNode
        self.restartProbability = restartProbability
        self.weighted = weighted
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&length, .length)
        try c.fill(&walksPerNode, .walksPerNode)
        try c.fill(&restartProbability, .restartProbability)
        try c.fill(&weighted, .weighted)
    }

    /// The walks (record indices), `walksPerNode` from each node in ascending order; the same seed
    /// gives the same walks.
    public func sample(_ graph: InteractionGraph, seed: UInt64) -> [[Int]] {
        var rng = RandomGenerator(seed: seed)
        var walks: [[Int]] = []
        let maxSteps = 4 * max(length, 1)
        for start in graph.nodes {
            for _ in 0..<walksPerNode {
                var walk = [start], seen: Set<Int> = [start], current = start, steps = 0
                while walk.count < length && steps < maxSteps {
                    steps += 1
                    if rng.nextDouble() < restartProbability { current = start }
                    guard let next = step(from: current, graph, &rng) else { break }
                    current = next
                    if seen.insert(next).inserted { walk.append(next) }
                }
                walks.append(walk)
            }
        }
        return walks
    }

    private func step(from node: Int, _ graph: InteractionGraph, _ rng: inout RandomGenerator) -> Int? {
        guard let options = graph.neighbours[node], !options.isEmpty else { return nil }
        guard weighted else { return options[rng.nextInt(options.count)].node }
        let total = options.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return options[rng.nextInt(options.count)].node }
        var r = rng.nextDouble() * total
        for o in options {
            r -= o.weight
            if r < 0 { return o.node }
        }
        return options[options.count - 1].node
    }

    /// One context per walk: <cls>, then each protein's residues followed by <eos> (so <eos>
    /// separates proteins), cut at `maxLength` tokens. `encoded` holds each protein as the
    /// tokenizer gives it (<cls> residues <eos>).
    public static func contexts(_ walks: [[Int]], encoded: [[Int32]], maxLength: Int) -> [[Int32]] {
        walks.map { walk in
            var context: [Int32] = [encoded[walk[0]].first ?? 0]
            for protein in walk {
                if context.count >= maxLength { break }
                context += encoded[protein].dropFirst()
            }
            return Array(context.prefix(maxLength))
        }
    }
}
