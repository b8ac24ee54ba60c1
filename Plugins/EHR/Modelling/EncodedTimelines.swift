import Foundation

/// Timelines encoded for pretraining: each one's most recent `maxLength` tokens (the window a
/// prediction sees), with the number of events those tokens cover.
///
/// One window per timeline, not several crops: the representation used downstream is always the
/// most recent window ending at a prediction time, and Context Clues trains on the same truncation.
public struct EncodedTimelines: Sendable {
    /// The subject of each window.
    public let subjectIDs: [Int64]
    /// Token ids of each window, [BEGIN] first.
    public let sequences: [[Int32]]
    /// Events of each timeline inside its window.
    public let eventCounts: [Int]

    /// Encodes every timeline (in order) with at least one event.
    public init(_ timelines: [Timeline], tokenizer: TimelineTokenizer, maxLength: Int) {
        var ids: [Int64] = [], sequences: [[Int32]] = [], counts: [Int] = []
        for timeline in timelines where !timeline.events.isEmpty {
            let events = timeline.events[...]
            let tokens = tokenizer.encode(events, maxLength: maxLength)
            ids.append(timeline.subjectID)
            sequences.append(tokens)
            counts.append(Self.eventsCovered(events, tokenizer: tokenizer, maxLength: maxLength))
        }
        subjectIDs = ids
        self.sequences = sequences
        eventCounts = counts
    }

    /// The most recent events whose tokens fit in `maxLength` whole: all of them when the timeline
    /// fits, else the longest suffix that does (found by bisection, the encoding growing with the suffix).
    static func eventsCovered(_ events: ArraySlice<MEDSEvent>, tokenizer: TimelineTokenizer, maxLength: Int) -> Int {
        func fits(_ start: Int) -> Bool { tokenizer.encode(events[start...], maxLength: Int.max).count <= maxLength }
        if fits(events.startIndex) { return events.count }
        var low = events.startIndex + 1, high = events.endIndex  // fits(high) holds (empty suffix)
        while low < high {
            let mid = (low + high) / 2
            if fits(mid) { high = mid } else { low = mid + 1 }
        }
        return events.endIndex - low
    }

    /// Windows (timelines with events).
    public var count: Int { sequences.count }
    /// Tokens over all windows.
    public var tokenCount: Int { sequences.reduce(0) { $0 + $1.count } }
    /// Events over all windows.
    public var eventCount: Int { eventCounts.reduce(0, +) }
}
