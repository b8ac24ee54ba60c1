import SequoiaTensor

/// The BERT / ESM / LC-PLM masked-LM corruption: a fraction of the residue positions is chosen;
/// of those, 80% become <mask>, 10% a random residue and 10% stay as they are. Labels hold the
/// original id at chosen positions and -100 (ignored by the loss) everywhere else.
public struct ResidueMasking: Codable, Equatable, Sendable {
    /// Label of a position the loss ignores.
    public static let ignoredLabel: Int32 = -100

    /// Fraction of residue positions chosen for prediction (LC-PLM: 0.15).
    public var fraction: Double
    /// Of the chosen, the fraction replaced by <mask> (0.8).
    public var maskFraction: Double
    /// Of the chosen, the fraction replaced by a random residue (0.1); the rest stay unchanged.
    public var randomFraction: Double
    /// The <mask> token id.
    public var maskId: Int32
    /// Ids a random replacement is drawn from (the 25 residue letters of the ESM-2 vocabulary).
    public var randomIds: ClosedRange<Int32>
    /// Ids never chosen: <cls>, <pad>, <eos>, <unk>, <mask>.
    public var specialIds: Set<Int32>

    /// The LC-PLM recipe over the ESM-2 vocabulary (see ProteinTokenizer's fixed ids).
    public init(fraction: Double = 0.15, maskFraction: Double = 0.8, randomFraction: Double = 0.1, maskId: Int32 = 32,
                randomIds: ClosedRange<Int32> = 4...28, specialIds: Set<Int32> = [0, 1, 2, 3, 32]) {
        precondition(fraction > 0 && fraction <= 1 && maskFraction >= 0 && randomFraction >= 0
                     && maskFraction + randomFraction <= 1, "masking fractions out of range")
        self.fraction = fraction
        self.maskFraction = maskFraction
        self.randomFraction = randomFraction
        self.maskId = maskId
        self.randomIds = randomIds
        self.specialIds = specialIds
    }

    /// Corrupts `ids` in place and returns the labels. Exactly round(fraction × residues) positions
    /// are chosen (at least one when there is a residue), so short proteins still train and the
    /// rate does not fluctuate with the generator.
    public func apply(to ids: inout [Int32], rng: inout RandomGenerator) -> [Int32] {
        var labels = [Int32](repeating: Self.ignoredLabel, count: ids.count)
        var candidates = ids.indices.filter { !specialIds.contains(ids[$0]) }
        guard !candidates.isEmpty else { return labels }
        let chosen = max(1, Int((fraction * Double(candidates.count)).rounded()))
        let randomCount = UInt64(randomIds.count)
        for k in 0..<chosen {
            // Partial Fisher-Yates: the first `chosen` slots become a uniform sample without replacement.
            candidates.swapAt(k, k + rng.nextInt(candidates.count - k))
            let position = candidates[k]
            labels[position] = ids[position]
            let r = rng.nextDouble()
            if r < maskFraction {
                ids[position] = maskId
            } else if r < maskFraction + randomFraction {
                ids[position] = randomIds.lowerBound + Int32(rng.next(upperBound: randomCount))
            }
        }
        return labels
    }
}
