import Foundation
import SequoiaKit

/// Reads MEDS event data into a `Cohort`.
public enum MEDSReader {
    /// A MEDS folder (data/**/*.parquet or */*.parquet shards), one .parquet file, or CSV (.csv / .csv.gz).
    public static func read(_ path: String, progress: Bool = false) throws -> Cohort {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CommandError("\(path): no such file or folder")
        }
        let files: [(path: String, split: SubjectSplit?)]
        var splits: [Int64: SubjectSplit] = [:]
        var descriptions: [String: String] = [:]
        if isFolder.boolValue {
            files = try shards(of: path)
            let splitsFile = (path as NSString).appendingPathComponent("metadata/subject_splits.parquet")
            if FileManager.default.fileExists(atPath: splitsFile) { splits = try MEDSParquetTables.subjectSplits(splitsFile) }
            let codesFile = (path as NSString).appendingPathComponent("metadata/codes.parquet")
            if FileManager.default.fileExists(atPath: codesFile) { descriptions = try MEDSParquetTables.codeDescriptions(codesFile) }
        } else {
            files = [(path, nil)]
        }
        let sources = try files.map { try source($0.path) }
        let bar: ProgressBar?
        if progress {
            bar = sources.count == 1
                ? ProgressBar(total: sources[0].progressTotal, label: "reading MEDS", unit: sources[0].progressUnit)
                : ProgressBar(total: sources.count, label: "reading MEDS shards", unit: "file")
        } else {
            bar = nil
        }
        var assembler = CohortAssembler()
        let namedByMetadata = !splits.isEmpty
        var done = 0
        for (k, source) in sources.enumerated() {
            assembler.beginFile(source.path)
            try source.forEachChunk { chunk, units in
                try assembler.add(chunk)
                if sources.count == 1 { done += units; bar?.update(step: done, units: Double(units)) }
            }
            if sources.count > 1 { bar?.update(step: k + 1) }
            if !namedByMetadata, let split = files[k].split {
                for id in assembler.subjectsInFile { splits[id] = split }
            }
        }
        // Compressed offsets may stop short of the file size (gzip trailer): finish the bar once.
        if sources.count == 1, done < sources[0].progressTotal { bar?.update(step: sources[0].progressTotal, units: 0) }
        var cohort = assembler.cohort(source: path, splits: splits)
        cohort.codeDescriptions = descriptions
        return cohort
    }

    /// The rows of one file, by its extension.
    static func source(_ path: String) throws -> MEDSColumnSource {
        let lower = path.lowercased()
        if lower.hasSuffix(".parquet") { return try MEDSParquetColumns(path) }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") || lower.hasSuffix(".csv.bgz") { return MEDSCSVColumns(path: path) }
        throw CommandError("\(path): not a MEDS input (expected a MEDS folder, .parquet, .csv or .csv.gz)")
    }

    /// A MEDS folder's shards in path order: data/**/*.parquet, else */*.parquet (e.g. train/ tuning/
    /// held_out/), each with the split its top folder names, if it names one.
    static func shards(of folder: String) throws -> [(path: String, split: SubjectSplit?)] {
        let fm = FileManager.default
        let data = (folder as NSString).appendingPathComponent("data")
        var relative: [String] = []
        var root = folder
        if fm.fileExists(atPath: data) {
            root = data
            relative = (fm.enumerator(atPath: data)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".parquet") }
        } else {
            for sub in (try? fm.contentsOfDirectory(atPath: folder)) ?? [] where sub != "metadata" {
                let subPath = (folder as NSString).appendingPathComponent(sub)
                for name in (try? fm.contentsOfDirectory(atPath: subPath)) ?? [] where name.hasSuffix(".parquet") {
                    relative.append(sub + "/" + name)
                }
            }
        }
        guard !relative.isEmpty else {
            throw CommandError("\(folder): no MEDS shards (expected data/**/*.parquet or */*.parquet)")
        }
        return relative.sorted().map { name in
            let top = String(name.prefix { $0 != "/" })
            return ((root as NSString).appendingPathComponent(name), name.contains("/") ? SubjectSplit(rawValue: top) : nil)
        }
    }
}
