import SequoiaTensor

/// Seeded stratified partitions of example indices: every class is spread over the parts in proportion.
public enum StratifiedSplit {
    /// Splits indices 0..<labels.count into (train, heldOut), holding out round(fraction * n) of each
    /// class's n examples; when 0 < fraction < 1 a class with two or more examples keeps at least one
    /// on each side. Deterministic for a seed; both lists ascending.
    public static func trainTest(labels: [Int], heldOutFraction: Double, seed: UInt64) -> (train: [Int], heldOut: [Int]) {
        precondition((0...1).contains(heldOutFraction), "held-out fraction must be in 0...1")
        var rng = RandomGenerator(seed: seed)
        var train: [Int] = [], heldOut: [Int] = []
        for members in shuffledClasses(labels, &rng) {
            var n = Int((Double(members.count) * heldOutFraction).rounded())
            if heldOutFraction > 0 && heldOutFraction < 1 && members.count >= 2 { n = min(max(n, 1), members.count - 1) }
            heldOut += members[0..<n]
            train += members[n...]
        }
        return (train.sorted(), heldOut.sorted())
    }

    /// Assigns each index a fold in 0..<folds, dealing every class's shuffled members round-robin.
    public static func folds(labels: [Int], folds: Int, seed: UInt64) -> [Int] {
        var rng = RandomGenerator(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for members in shuffledClasses(labels, &rng) {
            for i in members { fold[i] = next % folds; next += 1 }
        }
        return fold
    }

    private static func shuffledClasses(_ labels: [Int], _ rng: inout RandomGenerator) -> [[Int]] {
        var byClass: [Int: [Int]] = [:]
        for (i, l) in labels.enumerated() { byClass[l, default: []].append(i) }
        return byClass.keys.sorted().map { key in
            var m = byClass[key]!
            for i in stride(from: m.count - 1, to: 0, by: -1) { m.swapAt(i, rng.nextInt(i + 1)) }
            return m
        }
    }
}
