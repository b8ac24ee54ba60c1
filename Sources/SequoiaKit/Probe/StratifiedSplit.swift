import SequoiaTensor

/// Seeded stratified partitions of example indices: every class is spread over the parts in proportion.
public enum StratifiedSplit {
    /// Splits indices 0..<labels.count into (train, test), `testFraction` of each class (rounded, at least one
    /// when a class has two or more examples) going to test. Deterministic for a seed.
    public static func trainTest(labels: [Int], testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var rng = RandomGenerator(seed: seed)
        var train: [Int] = [], test: [Int] = []
        for members in shuffledClasses(labels, &rng) {
            var n = Int((Double(members.count) * testFraction).rounded())
            if members.count >= 2 { n = min(max(n, 1), members.count - 1) } else { n = 0 }
            test += members[0..<n]
            train += members[n...]
        }
        return (train.sorted(), test.sorted())
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
