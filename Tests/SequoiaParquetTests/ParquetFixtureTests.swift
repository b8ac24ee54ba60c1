import Foundation
import SequoiaParquet
import XCTest

/// Every fixture of scripts/parquet/make_fixtures.py reads as the values the script wrote
/// (Tests/Data/parquet/expected.json), whatever the writer, codec, page version and encoding.
final class ParquetFixtureTests: XCTestCase {
    private struct Expected {
        let tables: [String: [String: [Any]]]
        let files: [String: [String: Any]]
    }

    private func expected() throws -> Expected {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestData.path("parquet/expected.json")))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return Expected(tables: try XCTUnwrap(json["tables"] as? [String: [String: [Any]]]),
                        files: try XCTUnwrap(json["files"] as? [String: [String: Any]]))
    }

    private static func kind(_ name: String) -> ParquetValueKind? {
        let kinds: [String: ParquetValueKind] = [
            "boolean": .boolean, "int32": .int32, "int64": .int64, "float": .float, "double": .double,
            "string": .string, "binary": .binary, "date": .date, "timestamp_ms": .timestamp(.milliseconds),
            "timestamp_us": .timestamp(.microseconds), "timestamp_ns": .timestamp(.nanoseconds),
        ]
        return kinds[name]
    }

    /// The JSON values as the column the reader should return (timestamps are already microseconds).
    private static func column(_ kind: ParquetValueKind, _ values: [Any]) -> ParquetColumn {
        func map<T>(_ convert: (NSNumber) -> T) -> [T?] { values.map { ($0 as? NSNumber).map(convert) } }
        switch kind {
        case .boolean: return .boolean(map(\.boolValue))
        case .int32: return .int32(map(\.int32Value))
        case .date: return .date(map(\.int32Value))
        case .int64: return .int64(map(\.int64Value))
        case .timestamp: return .timestamp(map(\.int64Value))
        // Floating-point values come as repr strings: Foundation's JSON doubles are not always exact.
        case .float: return .float(values.map { ($0 as? String).flatMap(Float.init) })
        case .double: return .double(values.map { ($0 as? String).flatMap(Double.init) })
        case .string: return .string(values.map { $0 as? String })
        case .binary: return .binary(values.map { ($0 as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } })
        }
    }

    private static func slice(_ column: ParquetColumn, _ range: Range<Int>) -> ParquetColumn {
        switch column {
        case .boolean(let v): return .boolean(Array(v[range]))
        case .int32(let v): return .int32(Array(v[range]))
        case .int64(let v): return .int64(Array(v[range]))
        case .float(let v): return .float(Array(v[range]))
        case .double(let v): return .double(Array(v[range]))
        case .string(let v): return .string(Array(v[range]))
        case .binary(let v): return .binary(Array(v[range]))
        case .date(let v): return .date(Array(v[range]))
        case .timestamp(let v): return .timestamp(Array(v[range]))
        }
    }

    func testEveryFixtureReadsAsWritten() throws {
        let expected = try expected()
        XCTAssertGreaterThanOrEqual(expected.files.count, 14)
        for (name, description) in expected.files.sorted(by: { $0.key < $1.key }) {
            let file = try ParquetFile(path: TestData.path("parquet/\(name)"))
            let table = try XCTUnwrap(expected.tables[try XCTUnwrap(description["table"] as? String)], name)
            let groups = try XCTUnwrap(description["row_groups"] as? [Int], name)
            XCTAssertEqual(file.rowGroupCount, groups.count, name)
            XCTAssertEqual((0..<file.rowGroupCount).map(file.rowCount(inRowGroup:)), groups, name)
            XCTAssertEqual(file.rowCount, groups.reduce(0, +), name)
            let columns = try XCTUnwrap(description["columns"] as? [[String: Any]], name)
            XCTAssertEqual(file.columns, try columns.map {
                ParquetColumnInfo(name: try XCTUnwrap($0["name"] as? String), kind: try XCTUnwrap(Self.kind($0["kind"] as? String ?? "")),
                                  isOptional: try XCTUnwrap($0["optional"] as? Bool))
            }, name)
            for info in file.columns {
                let values = try XCTUnwrap(table[info.name], "\(name) \(info.name)")
                let want = Self.column(info.kind, values)
                XCTAssertEqual(try file.read(column: info.name), want, "\(name) column \(info.name)")
                var start = 0
                for group in 0..<file.rowGroupCount {
                    let count = file.rowCount(inRowGroup: group)
                    XCTAssertEqual(try file.read(column: info.name, rowGroup: group), Self.slice(want, start..<start + count),
                                   "\(name) row group \(group) column \(info.name)")
                    start += count
                }
            }
        }
    }

    func testFixturesCoverTheFormatsTheyClaimTo() throws {
        let files = try expected().files
        let codecs = Set(files.values.flatMap { $0["codecs"] as? [String] ?? [] })
        let encodings = Set(files.values.flatMap { $0["encodings"] as? [String] ?? [] })
        let writers = files.values.compactMap { ($0["created_by"] as? String)?.split(separator: " ").first.map(String.init) }
        XCTAssertEqual(codecs, ["UNCOMPRESSED", "SNAPPY", "GZIP", "ZSTD"])
        XCTAssertTrue(encodings.isSuperset(of: ["PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE", "DELTA_BINARY_PACKED",
                                                "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY", "BYTE_STREAM_SPLIT"]), "\(encodings)")
        XCTAssertEqual(Set(writers), ["parquet-cpp-arrow", "Polars", "DuckDB"])
    }

    func testTimestampsNormaliseToMicrosecondsFlooringNanoseconds() throws {
        let file = try ParquetFile(path: TestData.path("parquet/pyarrow_required.parquet"))
        guard case .timestamp(let ns) = try file.read(column: "ts_ns"), case .timestamp(let ms) = try file.read(column: "ts_ms") else {
            return XCTFail("timestamp columns")
        }
        // Row 0 was written as -30 * 1_234_567_891 ns - 1_500 ns: floor, not truncation, toward -infinity.
        XCTAssertEqual(ns[0], (-30 * 1_234_567_891 - 1_500 - 999) / 1000)
        XCTAssertEqual(ms[0], -86_400_001 * 1000)
    }

    func testNestedColumnIsRefusedByNameWhileFlatOnesRead() throws {
        let file = try ParquetFile(path: TestData.path("parquet/nested.parquet"))
        XCTAssertEqual(file.columns, [ParquetColumnInfo(name: "id", kind: .int64, isOptional: true)])
        XCTAssertEqual(try file.read(column: "id", rowGroup: 0), .int64([1, 2, 3]))
        XCTAssertThrowsError(try file.read(column: "tags", rowGroup: 0)) { error in
            XCTAssertTrue("\(error)".contains("nested column tags is not supported"), "\(error)")
            XCTAssertTrue("\(error)".contains("nested.parquet"), "\(error)")
        }
    }
}
