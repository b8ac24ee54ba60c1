import SequoiaKit

/// Gathers rows chunk by chunk into per-subject timelines, checking MEDS order as it goes: within a file
/// each subject's rows are contiguous, static facts (null time) come first and times never decrease.
/// A subject split across shards continues in shard (path) order under the same checks.
struct CohortAssembler {
    private var events: [[MEDSEvent]] = []
    private var subjectIDs: [Int64] = []
    private var indexOf: [Int64: Int] = [:]
    /// The file in which each subject was last seen, to tell a new shard from a non-contiguous block.
    private var lastFile: [Int] = []
    private var file = -1
    private var current = -1
    private var path = ""
    /// Subjects seen in the current file.
    private(set) var subjectsInFile: [Int64] = []

    mutating func beginFile(_ path: String) {
        file += 1
        current = -1
        self.path = path
        subjectsInFile.removeAll(keepingCapacity: true)
    }

    mutating func add(_ chunk: MEDSColumns) throws {
        let hasText = !chunk.textValues.isEmpty
        for i in 0..<chunk.count {
            guard let id = chunk.subjectIDs[i] else { throw CommandError("\(path): \(chunk.location(i)), column subject_id: null") }
            guard let code = chunk.codes[i], !code.isEmpty else {
                throw CommandError("\(path): \(chunk.location(i)), column code: null or empty")
            }
            if current < 0 || subjectIDs[current] != id { try switchSubject(to: id, at: chunk.location(i)) }
            let time = chunk.times[i]
            if let last = events[current].last?.time {
                guard let time else {
                    throw CommandError("\(path): \(chunk.location(i)): subject \(id)'s static fact '\(code)' (null time) comes after "
                        + "timed events (MEDS puts static facts first, then events by time)")
                }
                if time < last {
                    throw CommandError("\(path): \(chunk.location(i)): subject \(id)'s events go back in time (\(MEDSTime.format(time)) "
                        + "after \(MEDSTime.format(last)); MEDS files are sorted by subject, then time)")
                }
            }
            events[current].append(MEDSEvent(time: time, code: code, numericValue: chunk.numericValues[i],
                                             textValue: hasText ? chunk.textValues[i] : nil))
        }
    }

    private mutating func switchSubject(to id: Int64, at location: String) throws {
        if let index = indexOf[id] {
            if lastFile[index] == file {
                throw CommandError("\(path): \(location): subject \(id)'s rows are not contiguous (it appeared earlier in this file; "
                    + "MEDS files hold each subject's rows together, sorted by time)")
            }
            current = index
            lastFile[index] = file
        } else {
            current = events.count
            indexOf[id] = current
            subjectIDs.append(id)
            events.append([])
            lastFile.append(file)
        }
        subjectsInFile.append(id)
    }

    func cohort(source: String, splits: [Int64: SubjectSplit]) -> Cohort {
        Cohort(source: source, timelines: zip(subjectIDs, events).map { Timeline(subjectID: $0, events: $1) }, splits: splits)
    }
}
