import SequoiaKit
import SequoiaParquet

/// MEDS rows from a Parquet file, one chunk per row group. Types are checked up front: subject_id int64
/// or int32, time timestamp (any unit) or date, code string, numeric_value a number, text_value string.
struct MEDSParquetColumns: MEDSColumnSource {
    let path: String
    private let columns: ParquetColumnChecks
    private let hasText: Bool

    var progressTotal: Int { max(columns.file.rowGroupCount, 1) }
    var progressUnit: String { "row group" }

    init(_ path: String) throws {
        self.path = path
        columns = try ParquetColumnChecks(path)
        try columns.require("subject_id", "int64 or int32", ParquetColumnChecks.isInteger)
        try columns.require("time", "timestamp or date", ParquetColumnChecks.isTime)
        try columns.require("code", "string", { $0 == .string })
        try columns.require("numeric_value", "float or double", ParquetColumnChecks.isNumber)
        hasText = columns.has("text_value")
        if hasText { try columns.require("text_value", "string", { $0 == .string }) }
    }

    func forEachChunk(_ body: (MEDSColumns, Int) throws -> Void) throws {
        for group in 0..<columns.file.rowGroupCount {
            var chunk = MEDSColumns(rowGroup: group, firstRow: 1)
            chunk.subjectIDs = try columns.integers("subject_id", rowGroup: group)
            chunk.times = try columns.times("time", rowGroup: group)
            chunk.codes = try columns.strings("code", rowGroup: group)
            chunk.numericValues = try columns.numbers("numeric_value", rowGroup: group)
            if hasText { chunk.textValues = try columns.strings("text_value", rowGroup: group) }
            try body(chunk, 1)
        }
    }
}
