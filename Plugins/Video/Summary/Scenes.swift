import Foundation

/// Shots grouped into scenes: consecutive shots stay in one scene while each is similar enough
/// (cosine of mean frame embeddings) to the scene so far.
public struct Scene {
    public var number: Int
    public var shots: Range<Int>
    public var keyframeShot: Int
}

public func groupScenes(_ shots: [Shot], similarity: Float) -> [Scene] {
    var scenes: [Scene] = []
    var start = 0, mean: [Float] = []
    for (i, shot) in shots.enumerated() {
        if i > 0, cosine(shot.embedding, mean) < similarity {
            scenes.append(Scene(number: scenes.count + 1, shots: start..<i, keyframeShot: longest(shots, start..<i)))
            start = i
            mean = []
        }
        let count = Float(i - start)
        mean = mean.isEmpty ? shot.embedding : zip(mean, shot.embedding).map { ($0 * count + $1) / (count + 1) }
    }
    if !shots.isEmpty {
        scenes.append(Scene(number: scenes.count + 1, shots: start..<shots.count, keyframeShot: longest(shots, start..<shots.count)))
    }
    return scenes
}

private func longest(_ shots: [Shot], _ range: Range<Int>) -> Int {
    range.max { shots[$0].frames < shots[$1].frames }!
}

/// How long a summary may be.
public enum SummaryBudget: Equatable {
    case keyframes(Int)
    case seconds(Double)
}

/// The summary's shots, in time order: chosen greedily by maximal marginal relevance, each
/// representative of the whole video (its embedding against the duration-weighted mean, with
/// a bonus for length) and unlike the shots already chosen, until the budget is spent.
public func summarize(_ shots: [Shot], budget: SummaryBudget) -> [Int] {
    guard let width = shots.first?.embedding.count, width > 0 else { return shots.isEmpty ? [] : [0] }
    var mean = [Float](repeating: 0, count: width)
    let total = shots.reduce(0) { $0 + $1.seconds }
    for shot in shots where shot.embedding.count == width {
        for i in 0..<width { mean[i] += shot.embedding[i] * Float(shot.seconds / max(total, 1e-9)) }
    }
    let longest = shots.map(\.seconds).max() ?? 1
    let relevance = shots.map { cosine($0.embedding, mean) + 0.2 * Float(log(1 + $0.seconds) / log(1 + max(longest, 1e-9))) }
    var chosen: [Int] = [], used = 0.0
    var candidates = Set(shots.indices)
    while !candidates.isEmpty {
        switch budget {
        case .keyframes(let n): if chosen.count >= n { return chosen.sorted() }
        case .seconds: break
        }
        let best = candidates.max { a, b in
            marginal(a, chosen, shots, relevance) < marginal(b, chosen, shots, relevance)
        }!
        candidates.remove(best)
        if case .seconds(let limit) = budget {
            guard used + shots[best].seconds <= limit || chosen.isEmpty else { continue }
            used += shots[best].seconds
        }
        chosen.append(best)
    }
    return chosen.sorted()
}

private func marginal(_ i: Int, _ chosen: [Int], _ shots: [Shot], _ relevance: [Float]) -> Float {
    let redundancy = chosen.map { cosine(shots[i].embedding, shots[$0].embedding) }.max() ?? 0
    return relevance[i] - 0.7 * redundancy
}
