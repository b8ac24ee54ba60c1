/// One MEDS event: a code at a time (nil for static facts such as sex), with optional values.
public struct MEDSEvent: Equatable, Hashable, Sendable {
    /// Microseconds since 1970-01-01T00:00:00 (MEDS timestamps are naive; read as UTC); nil for static facts.
    public var time: Int64?
    public var code: String
    public var numericValue: Double?
    public var textValue: String?

    public init(time: Int64?, code: String, numericValue: Double? = nil, textValue: String? = nil) {
        self.time = time
        self.code = code
        self.numericValue = numericValue
        self.textValue = textValue
    }
}

/// All events of one subject: static facts first, then timed events in non-decreasing time
/// (ties keep file order, as MEDS writes them).
public struct Timeline: Equatable, Sendable {
    public let subjectID: Int64
    public var events: [MEDSEvent]

    public init(subjectID: Int64, events: [MEDSEvent]) {
        self.subjectID = subjectID
        self.events = events
    }

    /// The events a prediction made at `time` may see: static facts and events strictly before it.
    public func events(before time: Int64) -> ArraySlice<MEDSEvent> {
        var low = events.startIndex, high = events.endIndex
        while low < high {
            let mid = (low + high) / 2
            if let t = events[mid].time, t >= time { high = mid } else { low = mid + 1 }
        }
        return events[..<low]
    }
}

/// One row of a MEDS label file: a binary (or graded) outcome for a subject at a prediction time.
public struct PredictionLabel: Equatable, Hashable, Sendable {
    public let subjectID: Int64
    /// Microseconds since 1970-01-01T00:00:00.
    public let predictionTime: Int64
    /// 0 or 1 for boolean labels; integer, float or categorical values keep their value.
    public let value: Double

    public init(subjectID: Int64, predictionTime: Int64, value: Double) {
        self.subjectID = subjectID
        self.predictionTime = predictionTime
        self.value = value
    }
}
