/// The three properties of a timeline by which Context Clues (Wornow et al., "Context Clues: Evaluating
/// Long Context Models for Clinical Prediction Tasks on EHRs", ICLR 2025, arXiv:2412.16178, section 4)
/// stratifies clinical predictions, measured on the events a prediction may see (`Timeline.events(before:)`).
public struct TimelineComplexity: Codable, Equatable, Sendable {
    /// Share of events whose code repeats an earlier code of the timeline: Context Clues' n-gram
    /// repetition rate with n = 1 over the code sequence, 1 - distinct codes / events (0 with no events).
    /// Static facts count as tokens, as they do in the model's input.
    public let repetition: Double
    /// Population standard deviation, in days, of the gaps between consecutive distinct event times (0 without
    /// a gap). Gaps of zero between codes recorded at one time are skipped:
    /// MEDS writes a visit as many rows sharing a timestamp, and counting those zeros would measure codes
    /// per visit rather than how irregularly the visits are spaced.
    public let irregularityDays: Double
    /// Number of events, static facts included.
    public let length: Int

    /// The properties of `events` (a timeline's events in order, static facts first).
    public init(events: ArraySlice<MEDSEvent>) {
        length = events.count
        var distinct = Set<String>()
        distinct.reserveCapacity(events.count)
        for event in events { distinct.insert(event.code) }
        repetition = events.isEmpty ? 0 : 1 - Double(distinct.count) / Double(events.count)

        // Welford's running mean and variance of the non-zero gaps.
        let microsecondsPerDay = 86_400_000_000.0
        var previous: Int64?, gaps = 0, mean = 0.0, squares = 0.0
        for event in events {
            guard let time = event.time else { continue }
            if let last = previous, time != last {
                let gap = Double(time - last) / microsecondsPerDay
                gaps += 1
                let delta = gap - mean
                mean += delta / Double(gaps)
                squares += delta * (gap - mean)
            }
            previous = time
        }
        irregularityDays = gaps == 0 ? 0 : (squares / Double(gaps)).squareRoot()
    }

    /// The value of one stratifier.
    public func value(of stratifier: Stratifier) -> Double {
        switch stratifier {
        case .repetition: return repetition
        case .irregularity: return irregularityDays
        case .length: return Double(length)
        }
    }
}
