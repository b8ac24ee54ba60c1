import Foundation

/// A running sum of per-token cross-entropy (natural log) with the readings a language model reports.
public struct LanguageModelScore: Equatable, Sendable, Codable {
    /// Sum of -ln p(token) over the scored tokens.
    public private(set) var totalNats: Double
    /// Number of scored tokens.
    public private(set) var tokenCount: Int

    /// A score over `tokenCount` tokens whose -ln p sum to `totalNats`.
    public init(totalNats: Double = 0, tokenCount: Int = 0) {
        self.totalNats = totalNats
        self.tokenCount = tokenCount
    }

    /// Adds one token scored with probability `probability`.
    public mutating func add(probability: Double) {
        totalNats -= Foundation.log(probability)
        tokenCount += 1
    }

    /// Adds `tokenCount` tokens whose -ln p sum to `nats` (e.g. a batch's summed loss).
    public mutating func add(nats: Double, tokenCount count: Int) {
        totalNats += nats
        tokenCount += count
    }

    /// Adds another score's tokens.
    public mutating func add(_ other: LanguageModelScore) { add(nats: other.totalNats, tokenCount: other.tokenCount) }

    /// Mean cross-entropy in nats per token (NaN when nothing was scored).
    public var meanNats: Double { tokenCount == 0 ? .nan : totalNats / Double(tokenCount) }

    /// Mean cross-entropy in bits per token: nats / ln 2.
    public var bitsPerToken: Double { meanNats / M_LN2 }

    /// Perplexity, exp(mean nats).
    public var perplexity: Double { Foundation.exp(meanNats) }
}
