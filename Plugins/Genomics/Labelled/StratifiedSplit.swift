import SequoiaTensor

/// A seeded train / held-out split of examples that keeps each class's share on both sides.
public struct StratifiedSplit: Equatable, Sendable {
    /// Indices of the training examples, ascending.
    public let train: [Int]
    /// Indices of the held-out examples, ascending.
    public let heldOut: [Int]

    /// Holds out round(fraction * n) of each class's n examples, chosen by a shuffle seeded with `seed`; a class
    /// with at least two examples keeps at least one on each side when 0 < fraction < 1.
    public init(labels: [Int], classCount: Int, heldOutFraction: Double, seed: UInt64) {
        precondition((0...1).contains(heldOutFraction), "held-out fraction must be in 0...1")
        var generator = RandomGenerator(seed: seed)
        var train: [Int] = [], heldOut: [Int] = []
        for c in 0..<classCount {
            var members = labels.indices.filter { labels[$0] == c }
            for i in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(i, generator.nextInt(i + 1)) }
            var count = Int((heldOutFraction * Double(members.count)).rounded())
            if heldOutFraction > 0 && heldOutFraction < 1 && members.count >= 2 { count = min(max(count, 1), members.count - 1) }
            heldOut += members[..<count]
            train += members[count...]
        }
        self.train = train.sorted()
        self.heldOut = heldOut.sorted()
    }
}
