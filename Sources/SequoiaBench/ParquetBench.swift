import Foundation
import SequoiaParquet

/// Parquet read throughput: each file whole (open, footer, every column of every row group) and
/// each column alone (file already open), best of the runs after a warm-up. The same
/// measurements as scripts/bench/pyarrow_read.py, so scripts/bench-ehr.sh can set them side by side.
enum ParquetBench {
    struct ColumnResult {
        let name: String, kind: String, seconds: Double, rows: Int
    }

    struct FileResult {
        let path: String, bytes: Int, rows: Int, rowGroups: Int, seconds: Double, columns: [ColumnResult]
    }

    static func run(_ args: [String]) throws {
        var json = false, runs = 5, paths: [String] = []
        var rest = args[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "--json": json = true
            case "--runs":
                guard let text = rest.popFirst(), let n = Int(text), n >= 1 else {
                    throw BenchError("parquet: --runs needs a positive integer")
                }
                runs = n
            default:
                guard !arg.hasPrefix("--") else { throw BenchError("parquet: unknown option \(arg) (--json, --runs N)") }
                paths.append(arg)
            }
        }
        guard !paths.isEmpty else { throw BenchError("usage: SequoiaBench parquet [--json] [--runs N] FILE...") }
        let results = try paths.map { try measureFile($0, runs: runs) }
        if json {
            let objects = results.map { file -> [String: Any] in
                ["path": file.path, "bytes": file.bytes, "rows": file.rows, "row_groups": file.rowGroups,
                 "seconds": file.seconds, "rows_per_s": Double(file.rows) / file.seconds,
                 "mb_per_s": Double(file.bytes) / 1e6 / file.seconds,
                 "columns": file.columns.map { ["name": $0.name, "kind": $0.kind, "seconds": $0.seconds,
                                                "rows_per_s": Double($0.rows) / $0.seconds] }]
            }
            print(String(decoding: try JSONSerialization.data(withJSONObject: ["files": objects], options: [.sortedKeys]),
                         as: UTF8.self))
            return
        }
        var files = Table("file", "rows", "row groups", "MB", "ms", "rows/s", "MB/s")
        var columns = Table("file", "column", "kind", "ms", "rows/s")
        for file in results {
            let name = URL(fileURLWithPath: file.path).lastPathComponent
            files.add(name, "\(file.rows)", "\(file.rowGroups)", String(format: "%.2f", Double(file.bytes) / 1e6),
                      String(format: "%.2f", file.seconds * 1e3), String(format: "%.0f", Double(file.rows) / file.seconds),
                      String(format: "%.1f", Double(file.bytes) / 1e6 / file.seconds))
            for column in file.columns {
                columns.add(name, column.name, column.kind, String(format: "%.2f", column.seconds * 1e3),
                            String(format: "%.0f", Double(column.rows) / column.seconds))
            }
        }
        print(files.render() + "\n\n" + columns.render())
    }

    static func measureFile(_ path: String, runs: Int) throws -> FileResult {
        let file = try ParquetFile(path: path)
        let bytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        // Decode once outside the timed loops, so a bad file throws here rather than inside `measure`.
        for column in file.columns { _ = try file.read(column: column.name) }
        let whole = measure(minRuns: runs, minSeconds: 0) {
            let opened = try! ParquetFile(path: path)
            for column in opened.columns { blackHole(try! opened.read(column: column.name).count) }
        }
        let columns = file.columns.map { column in
            ColumnResult(name: column.name, kind: name(of: column.kind),
                         seconds: measure(minRuns: runs, minSeconds: 0) { blackHole(try! file.read(column: column.name).count) },
                         rows: file.rowCount)
        }
        return FileResult(path: path, bytes: bytes, rows: file.rowCount, rowGroups: file.rowGroupCount, seconds: whole,
                          columns: columns)
    }

    static func name(of kind: ParquetValueKind) -> String {
        switch kind {
        case .timestamp(.milliseconds): return "timestamp(ms)"
        case .timestamp(.microseconds): return "timestamp(us)"
        case .timestamp(.nanoseconds): return "timestamp(ns)"
        default: return "\(kind)"
        }
    }

    /// Keeps a result alive so the optimiser cannot drop the read that produced it.
    @inline(never) static func blackHole(_ value: Int) { sink &+= value }
    nonisolated(unsafe) static var sink = 0
}

/// A usage or input error of a benchmark mode: printed as one line.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
