import Foundation
import SequoiaParquet
import XCTest

/// The bundled EHR data sets read exactly as their CSV copies (and pyarrow) say.
final class ParquetRealDataTests: XCTestCase {
    func testEunomiaEventsMatchTheCSV() throws {
        let file = try ParquetFile(path: TestData.path("ehr/eunomia/meds_events.parquet"))
        XCTAssertEqual(file.columns, [
            ParquetColumnInfo(name: "subject_id", kind: .int64, isOptional: false),
            ParquetColumnInfo(name: "time", kind: .timestamp(.microseconds), isOptional: false),
            ParquetColumnInfo(name: "code", kind: .string, isOptional: true),
            ParquetColumnInfo(name: "numeric_value", kind: .float, isOptional: true),
        ])
        XCTAssertEqual(file.rowCount, 222_403)
        XCTAssertEqual(file.rowGroupCount, 2)
        let subjects = try file.int64s("subject_id"), times = try file.int64s("time"), codes = try file.strings("code")
        guard case .float(let values) = try file.read(column: "numeric_value") else { return XCTFail("numeric_value") }

        let csv = try ReferenceCSV.rows(TestData.path("ehr/eunomia/meds_events.csv.gz"))
        XCTAssertEqual(csv.first, ["subject_id", "time", "code", "numeric_value"])
        let rows = csv.dropFirst()
        XCTAssertEqual(rows.count, 222_403)
        XCTAssertEqual([subjects.count, times.count, codes.count, values.count], Array(repeating: rows.count, count: 4))
        var mismatches = 0
        for (i, row) in rows.enumerated() where mismatches < 5 {
            let value: Float? = row[3].isEmpty ? nil : Float(row[3])
            if subjects[i] != Int64(row[0]) || times[i] != ReferenceCSV.microseconds(row[1]) || codes[i] != row[2]
                || values[i] != value {
                mismatches += 1
                XCTFail("row \(i): parquet \(subjects[i] as Any) \(times[i] as Any) \(codes[i] as Any) \(values[i] as Any), csv \(row)")
            }
        }
        XCTAssertEqual(Set(subjects.compactMap { $0 }).count, 2_694)
    }

    func testEunomiaLabelsMatchTheCSV() throws {
        let file = try ParquetFile(path: TestData.path("ehr/eunomia/derived_labels_nsaid_gi_bleed_365d.parquet"))
        XCTAssertEqual(file.columns.map(\.name), ["subject_id", "prediction_time", "boolean_value"])
        XCTAssertEqual(file.columns.map(\.kind), [.int64, .timestamp(.microseconds), .boolean])
        let subjects = try file.int64s("subject_id"), times = try file.int64s("prediction_time")
        guard case .boolean(let labels) = try file.read(column: "boolean_value") else { return XCTFail("boolean_value") }
        let rows = try ReferenceCSV.rows(TestData.path("ehr/eunomia/derived_labels_nsaid_gi_bleed_365d.csv")).dropFirst()
        XCTAssertEqual(rows.count, 2_694)
        XCTAssertEqual(subjects, rows.map { Int64($0[0]) })
        XCTAssertEqual(times, rows.map { ReferenceCSV.microseconds($0[1]) })
        XCTAssertEqual(labels, rows.map { $0[2] == "true" })
        XCTAssertEqual(labels.filter { $0 == true }.count, 479)
    }

    /// Expected numbers from pyarrow 26 (`pq.read_table`) on the same files.
    func testACESSampleShardsReadAsPyarrowReadsThem() throws {
        let shards = ["train/0", "train/1", "tuning/0", "held_out/0"]
        var events = 0, subjects = Set<Int64>(), nullTimes = 0, nullValues = 0
        for shard in shards {
            let file = try ParquetFile(path: TestData.path("ehr/aces_meds_sample_synthetic/\(shard).parquet"))
            XCTAssertEqual(file.columns, [
                ParquetColumnInfo(name: "subject_id", kind: .int64, isOptional: true),
                ParquetColumnInfo(name: "time", kind: .timestamp(.microseconds), isOptional: true),
                ParquetColumnInfo(name: "code", kind: .string, isOptional: true),
                ParquetColumnInfo(name: "numeric_value", kind: .double, isOptional: true),
            ], shard)
            let ids = try file.int64s("subject_id"), times = try file.int64s("time")
            guard case .double(let values) = try file.read(column: "numeric_value") else { return XCTFail(shard) }
            XCTAssertEqual(ids.count, file.rowCount)
            events += file.rowCount
            subjects.formUnion(ids.compactMap { $0 })
            nullTimes += times.filter { $0 == nil }.count
            nullValues += values.filter { $0 == nil }.count
        }
        XCTAssertEqual(events, 77_542)
        XCTAssertEqual(subjects.count, 100)
        XCTAssertEqual(nullTimes, ACES.nullTimes)
        XCTAssertEqual(nullValues, ACES.nullValues)

        let train = try ParquetFile(path: TestData.path("ehr/aces_meds_sample_synthetic/train/0.parquet"))
        let codes = try train.strings("code"), times = try train.int64s("time")
        XCTAssertEqual(Array(codes.prefix(3)), ACES.firstCodes)
        XCTAssertEqual(times[ACES.firstTimedRow], ACES.firstTime)
        XCTAssertEqual(try train.int64s("subject_id").last!, ACES.lastSubject)
        guard case .double(let values) = try train.read(column: "numeric_value") else { return XCTFail("numeric_value") }
        XCTAssertEqual(Array(values.prefix(3)), ACES.firstValues)
    }
}

/// What pyarrow 26 reads from the ACES sample (scripts/parquet/make_fixtures.py's venv, `pq.read_table`).
private enum ACES {
    static let nullTimes = 100, nullValues = 5_479
    static let firstCodes: [String?] = ["SEX//male", "ADMISSION//CARDIAC", "HR"]
    static let firstTimedRow = 1
    static let firstTime: Int64? = 1_277_385_780_000_000      // 2010-06-24 13:23:00
    static let lastSubject: Int64? = 34
    static let firstValues: [Double?] = [nil, nil, -0.2660730803660161]
}
