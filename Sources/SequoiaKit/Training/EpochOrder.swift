import SequoiaTensor

/// Seeded shuffled passes over `count` examples, drawn `batchSize` at a time: each epoch visits
/// every example once (its last draw holds the remainder). The state is three numbers, so a
/// checkpoint restores the stream exactly.
public struct EpochOrder: Codable, Equatable, Sendable {
    /// Epochs completed.
    public private(set) var epoch = 0
    /// Examples of this epoch already drawn.
    public private(set) var cursor = 0
    /// Seed of every epoch's shuffle.
    public let seed: UInt64
    /// Examples per epoch.
    public let count: Int
    /// The current epoch's shuffle, kept so it is drawn once per epoch (not saved: it follows from the rest).
    private var shuffled: (epoch: Int, indices: [Int])?

    private enum CodingKeys: String, CodingKey { case epoch, cursor, seed, count }

    public static func == (a: EpochOrder, b: EpochOrder) -> Bool {
        a.epoch == b.epoch && a.cursor == b.cursor && a.seed == b.seed && a.count == b.count
    }

    /// The start of epoch 0 over `count` (> 0) examples.
    public init(count: Int, seed: UInt64) {
        precondition(count > 0, "EpochOrder needs at least one example")
        self.count = count
        self.seed = seed
    }

    /// The indices of the next `batchSize` examples (fewer at the end of an epoch).
    public mutating func next(_ batchSize: Int) -> ArraySlice<Int> {
        if cursor >= count {
            epoch += 1
            cursor = 0
        }
        if shuffled?.epoch != epoch { shuffled = (epoch, permutation(epoch: epoch)) }
        let picked = shuffled!.indices[cursor ..< min(cursor + batchSize, count)]
        cursor += picked.count
        return picked
    }

    /// The shuffle of `epoch` (Fisher-Yates from a generator seeded by (seed, epoch)).
    public func permutation(epoch: Int) -> [Int] {
        var generator = RandomGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var indices = Array(0..<count)
        for i in stride(from: indices.count - 1, to: 0, by: -1) { indices.swapAt(i, generator.nextInt(i + 1)) }
        return indices
    }
}
