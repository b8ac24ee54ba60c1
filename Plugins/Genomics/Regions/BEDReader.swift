import Foundation

/// Which part of the data a region serves.
public enum SplitRole: String, Codable, Sendable, CaseIterable {
    case train, validation, test
}

/// One line of a BED file, resolved against a genome's records.
public struct BEDRegion: Equatable, Sendable {
    public var region: GenomicRegion
    /// The 4th column, if present.
    public var name: String?
    /// The split the 4th column names ("train", "validation"/"valid"/"val", "test", any case), if it names one.
    public var role: SplitRole?
    /// 1-based line in the file, for messages.
    public var line: Int
}

/// Reads BED files: tab- or space-separated `chrom start end [name ...]`, 0-based half-open coordinates.
/// Blank lines and lines starting with `#`, `track` or `browser` are skipped.
public enum BEDReader {
    /// Parses `path`, checking every line against `records` (names and lengths).
    public static func read(_ path: String, records: [SequenceRecord]) throws -> [BEDRegion] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw RegionError(file: path, "cannot read (\(error.localizedDescription))")
        }
        var index: [String: Int] = [:]
        for (i, r) in records.enumerated() where index[r.name] == nil { index[r.name] = i }
        var regions: [BEDRegion] = []
        // Splitting on Character.isNewline also splits CRLF, which Swift reads as one "\r\n" character.
        let lines = String(decoding: data, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (n, text) in lines.enumerated() {
            let line = n + 1
            let fields = text.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard let first = fields.first, !first.hasPrefix("#"), first != "track", first != "browser" else { continue }
            func fail(_ message: String) -> RegionError { RegionError(file: path, line: line, message) }
            guard fields.count >= 3 else { throw fail("expected 'chrom start end', found \(fields.count) field(s)") }
            guard let start = Int(fields[1]), let end = Int(fields[2]) else {
                throw fail("start and end must be integers, found '\(fields[1])' '\(fields[2])'")
            }
            guard let record = index[String(first)] else { throw fail("unknown record '\(first)'") }
            guard start >= 0, start < end else { throw fail("record '\(first)': start \(start) must be >= 0 and < end \(end)") }
            guard end <= records[record].length else {
                throw fail("record '\(first)': end \(end) is beyond the record (length \(records[record].length))")
            }
            let name = fields.count > 3 ? String(fields[3]) : nil
            regions.append(BEDRegion(region: GenomicRegion(record: record, range: start..<end),
                                     name: name, role: name.flatMap(role), line: line))
        }
        guard !regions.isEmpty else { throw RegionError(file: path, "no regions") }
        return regions
    }

    private static func role(_ name: String) -> SplitRole? {
        switch name.lowercased() {
        case "train", "training": return .train
        case "validation", "valid", "val": return .validation
        case "test": return .test
        default: return nil
        }
    }
}
