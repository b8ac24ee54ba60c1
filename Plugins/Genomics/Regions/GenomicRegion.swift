/// A 0-based, half-open stretch of one record of a `SequenceSource` (by record index).
public struct GenomicRegion: Hashable, Codable, Sendable {
    public var record: Int
    public var range: Range<Int>
    public init(record: Int, range: Range<Int>) { self.record = record; self.range = range }
}

/// A bad regions file or request: one line naming the file and line where known.
public struct RegionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(file: String? = nil, line: Int? = nil, _ message: String) {
        var place = file ?? ""
        if let line { place += (place.isEmpty ? "" : " ") + "line \(line)" }
        description = place.isEmpty ? message : place + ": " + message
    }
}
