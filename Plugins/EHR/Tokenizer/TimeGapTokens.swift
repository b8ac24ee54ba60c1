extension TimelineTokenizerOptions {
    /// The time tokens' texts, in vocabulary order.
    var timeTokenNames: [String] {
        switch timeTokens {
        case .days: return (0..<max(maxDayTokens, 0)).map { "[DAY \($0 + 1)]" } + ["[LT]"]
        case .buckets: return (0..<4).map { "[W\($0)]" } + (0..<12).map { "[M\($0)]" } + ["[LT]"]
        case .none: return []
        }
    }

    /// Which time token (index into `timeTokenNames`) a gap between consecutive events gets: none under a day.
    func timeTokenIndex(gap micros: Int64) -> Int? {
        let days = micros / MEDSTime.microsPerDay
        guard days >= 1 else { return nil }
        switch timeTokens {
        case .days: return days <= Int64(maxDayTokens) ? Int(days) - 1 : max(maxDayTokens, 0)
        case .buckets:
            if days < 28 { return Int(days / 7) }
            if days < 365 { return 4 + Int(days * 12 / 365) }
            return 16
        case .none: return nil
        }
    }
}
