import SequoiaKit
import SequoiaParquet

/// The small MEDS Parquet tables beside the events: subject splits, code metadata and labels.
enum MEDSParquetTables {
    /// metadata/codes.parquet: each code's description (rows without one are left out).
    static func codeDescriptions(_ path: String) throws -> [String: String] {
        let columns = try ParquetColumnChecks(path)
        try columns.require("code", "string", { $0 == .string })
        try columns.require("description", "string", { $0 == .string })
        var descriptions: [String: String] = [:]
        for group in 0..<columns.file.rowGroupCount {
            let codes = try columns.strings("code", rowGroup: group), texts = try columns.strings("description", rowGroup: group)
            for (row, (code, text)) in zip(codes, texts).enumerated() {
                guard let code else { throw CommandError("\(path): row group \(group), row \(row + 1), column code: null") }
                if let text, !text.isEmpty { descriptions[code] = text }
            }
        }
        return descriptions
    }

    /// metadata/subject_splits.parquet: subject_id and split (train, tuning or held_out).
    static func subjectSplits(_ path: String) throws -> [Int64: SubjectSplit] {
        let columns = try ParquetColumnChecks(path)
        try columns.require("subject_id", "int64 or int32", ParquetColumnChecks.isInteger)
        try columns.require("split", "string", { $0 == .string })
        var splits: [Int64: SubjectSplit] = [:]
        for group in 0..<columns.file.rowGroupCount {
            let ids = try columns.integers("subject_id", rowGroup: group), names = try columns.strings("split", rowGroup: group)
            for (row, (id, name)) in zip(ids, names).enumerated() {
                let location = "row group \(group), row \(row + 1)"
                guard let id else { throw CommandError("\(path): \(location), column subject_id: null") }
                guard let name, let split = SubjectSplit(rawValue: name) else {
                    throw CommandError("\(path): \(location), column split: '\(names[row] ?? "null")' is not train, tuning or held_out")
                }
                splits[id] = split
            }
        }
        return splits
    }

    /// A MEDS label file: each row's value from the first non-null of boolean_value (0/1), integer_value,
    /// float_value, categorical_value (which must hold a number).
    static func labels(_ path: String) throws -> LabelColumns {
        let columns = try ParquetColumnChecks(path)
        try columns.require("subject_id", "int64 or int32", ParquetColumnChecks.isInteger)
        try columns.require("prediction_time", "timestamp or date", ParquetColumnChecks.isTime)
        let present = LabelColumns.valueColumns.filter(columns.has)
        guard !present.isEmpty else {
            throw CommandError("\(path): no label column (expected one of \(LabelColumns.valueColumns.joined(separator: ", "));"
                + " columns: \(columns.file.columns.map(\.name).joined(separator: ", ")))")
        }
        if present.contains("boolean_value") { try columns.require("boolean_value", "boolean", { $0 == .boolean }) }
        if present.contains("integer_value") { try columns.require("integer_value", "int64 or int32", ParquetColumnChecks.isInteger) }
        if present.contains("float_value") { try columns.require("float_value", "float or double", ParquetColumnChecks.isNumber) }
        if present.contains("categorical_value") { try columns.require("categorical_value", "string", { $0 == .string }) }
        var labels = LabelColumns()
        for group in 0..<columns.file.rowGroupCount {
            let count = columns.file.rowCount(inRowGroup: group)
            labels.subjectIDs += try columns.integers("subject_id", rowGroup: group)
            labels.predictionTimes += try columns.times("prediction_time", rowGroup: group)
            var values = [Double?](repeating: nil, count: count)
            for name in present.reversed() {  // the first column present wins, so fill it last
                let column: [Double?]
                switch name {
                case "boolean_value":
                    guard case .boolean(let b) = try columns.read(name, rowGroup: group) else { continue }
                    column = b.map { $0.map { $0 ? 1 : 0 } }
                case "categorical_value":
                    let texts = try columns.strings(name, rowGroup: group)
                    column = try texts.enumerated().map { row, text in
                        guard let text else { return nil }
                        guard let value = Double(text) else {
                            throw CommandError("\(path): row group \(group), row \(row + 1), column categorical_value: '\(text)' is not a number")
                        }
                        return value
                    }
                default: column = try columns.numbers(name, rowGroup: group)
                }
                for (row, value) in column.enumerated() where value != nil { values[row] = value }
            }
            labels.values += values
            labels.locations += (1...max(count, 1)).prefix(count).map { (group, $0) }
        }
        return labels
    }
}
