/// The timeline tokenizer's choices (Context Clues' options). JSON keys are snake_case and all optional.
public struct TimelineTokenizerOptions: Codable, Equatable, Sendable {
    /// How the gap between consecutive timed events at least a day apart is written.
    public enum TimeTokens: String, Codable, Sendable {
        /// `[DAY 1]` ... `[DAY max_day_tokens]`, then `[LT]` (long term).
        case days
        /// CEHR-BERT's artificial time tokens: `[W0]`-`[W3]` (weeks), `[M0]`-`[M11]` (months), `[LT]` (a year or more).
        case buckets
        /// No time tokens.
        case none
    }

    /// Codes seen fewer times than this in the training timelines become [UNK].
    public var minCount: Int
    /// Quantile bins per code for numeric values (tokens `CODE//Q1` ... `CODE//Qn`); 0 or 1 keeps the plain code token.
    public var numericBins: Int
    public var timeTokens: TimeTokens
    /// The largest gap, in whole days, with its own `[DAY n]` token in `days` mode.
    public var maxDayTokens: Int

    public init(minCount: Int = 1, numericBins: Int = 10, timeTokens: TimeTokens = .days, maxDayTokens: Int = 365) {
        self.minCount = minCount
        self.numericBins = numericBins
        self.timeTokens = timeTokens
        self.maxDayTokens = maxDayTokens
    }

    enum CodingKeys: String, CodingKey {
        case minCount = "min_count", numericBins = "numeric_bins", timeTokens = "time_tokens", maxDayTokens = "max_day_tokens"
    }

    public init(from decoder: Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try c.fill(&minCount, .minCount)
        try c.fill(&numericBins, .numericBins)
        try c.fill(&timeTokens, .timeTokens)
        try c.fill(&maxDayTokens, .maxDayTokens)
        guard minCount >= 1 else { throw invalid(c, .minCount, "min_count must be at least 1") }
        guard numericBins >= 0 else { throw invalid(c, .numericBins, "numeric_bins must be 0 or more") }
        guard maxDayTokens >= 1 else { throw invalid(c, .maxDayTokens, "max_day_tokens must be at least 1") }
    }

    private func invalid(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, _ message: String) -> DecodingError {
        DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
    }
}
