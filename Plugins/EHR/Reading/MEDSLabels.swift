import Foundation
import SequoiaKit

/// Prediction labels in the MEDS label schema.
public enum MEDSLabels {
    /// MEDS label schema: subject_id, prediction_time, boolean_value (or integer_value / float_value / categorical_value).
    /// Booleans read as 0/1 (`true`/`false`/`1`/`0` in CSV); a categorical value must be numeric.
    public static func read(_ path: String) throws -> [PredictionLabel] {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such file") }
        let columns = path.lowercased().hasSuffix(".parquet") ? try MEDSParquetTables.labels(path) : try readCSV(path)
        var labels: [PredictionLabel] = []
        labels.reserveCapacity(columns.subjectIDs.count)
        for i in 0..<columns.subjectIDs.count {
            guard let id = columns.subjectIDs[i] else { throw CommandError("\(path): \(columns.location(i)), column subject_id: null") }
            guard let time = columns.predictionTimes[i] else {
                throw CommandError("\(path): \(columns.location(i)), column prediction_time: null")
            }
            guard let value = columns.values[i] else {
                throw CommandError("\(path): \(columns.location(i)), column \(LabelColumns.valueColumns.joined(separator: "/")): "
                    + "no label value (all null)")
            }
            labels.append(PredictionLabel(subjectID: id, predictionTime: time, value: value))
        }
        return labels
    }

    /// Throws a one-line error naming the first label whose subject the cohort lacks.
    public static func check(_ labels: [PredictionLabel], against cohort: Cohort, labelSource: String) throws {
        for (i, label) in labels.enumerated() where cohort.timeline(for: label.subjectID) == nil {
            throw CommandError("\(labelSource): row \(i + 1), column subject_id: subject \(label.subjectID) is not in the events "
                + "(\(cohort.source))")
        }
    }

    private static func readCSV(_ path: String) throws -> LabelColumns {
        let reader = try CSVRecordReader(path)
        let subject = try reader.requireColumn("subject_id"), time = try reader.requireColumn("prediction_time")
        let valueColumns = LabelColumns.valueColumns.compactMap { reader.column($0) }
        guard !valueColumns.isEmpty else {
            throw CommandError("\(path): no label column (expected one of \(LabelColumns.valueColumns.joined(separator: ", "));"
                + " columns: \(reader.header.joined(separator: ", ")))")
        }
        var columns = LabelColumns()
        while try reader.next() {
            columns.subjectIDs.append(try reader.int64(subject))
            columns.predictionTimes.append(try reader.time(time))
            columns.locations.append((nil, reader.row))
            var value: Double?
            for c in valueColumns where !reader.isEmpty(c) {
                value = reader.header[c] == "boolean_value" ? try boolean(reader, c) : try reader.double(c)
                break
            }
            columns.values.append(value)
        }
        return columns
    }

    private static func boolean(_ reader: CSVRecordReader, _ i: Int) throws -> Double {
        switch reader.string(i).lowercased() {
        case "true", "1", "t": return 1
        case "false", "0", "f": return 0
        default: throw reader.badValue(i, "is not a boolean (true/false/1/0)")
        }
    }
}
