/// All subjects' timelines from one MEDS source, with each subject's split.
public struct Cohort: Sendable {
    /// The path the cohort was read from.
    public let source: String
    /// Sorted by subjectID, one per subject.
    public let timelines: [Timeline]
    /// Splits the source names (subject_splits.parquet or shard folders); others fall back to the hash.
    private let splits: [Int64: SubjectSplit]
    /// Human-readable code descriptions from a MEDS folder's metadata/codes.parquet (empty without one).
    public var codeDescriptions: [String: String] = [:]

    /// A cohort from timelines in any order (sorted here); `splits` overrides the hashed split per subject.
    public init(source: String, timelines: [Timeline], splits: [Int64: SubjectSplit] = [:]) {
        self.source = source
        self.timelines = timelines.sorted { $0.subjectID < $1.subjectID }
        self.splits = splits
    }

    /// The subject's timeline, or nil when the cohort lacks it.
    public func timeline(for subjectID: Int64) -> Timeline? {
        var low = 0, high = timelines.count
        while low < high {
            let mid = (low + high) / 2
            if timelines[mid].subjectID < subjectID { low = mid + 1 } else { high = mid }
        }
        return low < timelines.count && timelines[low].subjectID == subjectID ? timelines[low] : nil
    }

    /// metadata/subject_splits.parquet or the shard folder (train/ tuning/ held_out/) when the source
    /// names one, else `SubjectSplit.hashed` (80% train, 10% tuning, 10% held_out).
    public func split(of subjectID: Int64) -> SubjectSplit {
        splits[subjectID] ?? SubjectSplit.hashed(subjectID)
    }

    /// Whether the source itself assigned splits (rather than the hash).
    public var hasNamedSplits: Bool { !splits.isEmpty }

    /// The timelines of one split, in subject order.
    public func timelines(in split: SubjectSplit) -> [Timeline] {
        timelines.filter { self.split(of: $0.subjectID) == split }
    }

    /// Number of events over all subjects.
    public var eventCount: Int { timelines.reduce(0) { $0 + $1.events.count } }
}
