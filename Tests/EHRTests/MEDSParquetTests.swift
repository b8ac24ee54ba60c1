import EHR
import Foundation
import XCTest

/// Parquet and CSV readings of the same MEDS data agree; Parquet type errors name file and column.
final class MEDSParquetTests: XCTestCase {
    func testEunomiaParquetAndCSVGiveIdenticalTimelines() throws {
        let fromParquet = try MEDSReader.read(EHRTestFiles.eunomiaParquet)
        let fromCSV = try EHRTestFiles.eunomiaCohort()
        XCTAssertEqual(fromParquet.timelines.count, 2_694)
        XCTAssertEqual(fromParquet.eventCount, 222_403)
        XCTAssertEqual(fromParquet.timelines, fromCSV.timelines)
    }

    func testEunomiaLabelsParquetMatchCSV() throws {
        let fromParquet = try MEDSLabels.read(EHRTestFiles.eunomiaLabelsParquet)
        XCTAssertEqual(fromParquet, try MEDSLabels.read(EHRTestFiles.eunomiaLabelsCSV))
    }

    func testACESFolderShardsAndSplits() throws {
        let cohort = try MEDSReader.read(EHRTestFiles.acesSample, progress: true)
        XCTAssertTrue(cohort.hasNamedSplits)
        var bySplit: [SubjectSplit: Int] = [:]
        for timeline in cohort.timelines {
            bySplit[cohort.split(of: timeline.subjectID), default: 0] += 1
            // Static facts first, then non-decreasing times.
            let times = timeline.events.map(\.time)
            let firstTimed = times.firstIndex { $0 != nil } ?? times.count
            XCTAssertTrue(times[firstTimed...].allSatisfy { $0 != nil })
            let timed = times.compactMap { $0 }
            XCTAssertEqual(timed, timed.sorted())
        }
        XCTAssertEqual(Set(bySplit.keys), [.train, .tuning, .heldOut])
        // Each shard's subjects carry the split its folder names.
        for split in SubjectSplit.allCases {
            let folder = EHRTestFiles.acesSample + "/" + split.rawValue
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".parquet") {
                let shard = try MEDSReader.read(folder + "/" + name)
                XCTAssertFalse(shard.timelines.isEmpty)
                for timeline in shard.timelines {
                    XCTAssertEqual(cohort.split(of: timeline.subjectID), split)
                    XCTAssertEqual(cohort.timeline(for: timeline.subjectID), timeline)
                }
            }
        }
        XCTAssertTrue(cohort.timelines.contains { $0.events.contains { $0.numericValue != nil } })
    }

    private func events(_ ids: [Int64?], _ times: [Int64?], _ codes: [String?], numbers: [Double?]? = nil) -> [(String, TinyParquet.Values)] {
        [("subject_id", .int64(ids)), ("time", .timestamp(times)), ("code", .string(codes)),
         ("numeric_value", .double(numbers ?? ids.map { _ in nil }))]
    }

    func testWrongParquetTypesAndMissingColumns() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = dir + "/events.parquet"
        let good = events([1], [0], ["A"])
        for (k, bad, message) in [
            (0, ("subject_id", TinyParquet.Values.string(["1"])), "column subject_id: int64 or int32 expected, found string"),
            (1, ("time", .int64([0])), "column time: timestamp or date expected, found int64"),
            (2, ("code", .int64([3])), "column code: string expected, found int64"),
            (3, ("numeric_value", .string(["x"])), "column numeric_value: float or double expected, found string"),
        ] {
            var columns = good
            columns[k] = bad
            try TinyParquet.write(columns, to: path)
            XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) }, "\(path): \(message)")
        }
        try TinyParquet.write(Array(good.prefix(2)) + [good[3]], to: path)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) },
                       "\(path): no column 'code' (columns: subject_id, time, numeric_value)")
        try Data("PAR1 not really".utf8).write(to: URL(fileURLWithPath: path))
        let corrupt = EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) }
        XCTAssertTrue(corrupt.hasPrefix(path + ": ") && !corrupt.contains("\n"), corrupt)
    }

    func testParquetNullsAndOrderErrorsNameTheRowGroupAndRow() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = dir + "/events.parquet"
        try TinyParquet.write(events([1, nil], [0, 0], ["A", "B"]), to: path)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) }, "\(path): row group 0, row 2, column subject_id: null")
        try TinyParquet.write(events([1, 1, 1], [nil, 86_400_000_000, 0], ["S", "A", "B"]), to: path)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) },
                       "\(path): row group 0, row 3: subject 1's events go back in time (1970-01-01 00:00:00.000000 after "
                       + "1970-01-02 00:00:00.000000; MEDS files are sorted by subject, then time)")
    }

    func testMEDSFolderWithDataShardsAndSubjectSplits() throws {
        let dir = try EHRTestFiles.scratch(self)
        for sub in ["data/train", "data/held_out", "metadata"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
        }
        let day: Int64 = 86_400_000_000
        // int32 ids and DATE times are accepted too; subject 2 continues from one shard into the next.
        try TinyParquet.write([("subject_id", .int32([1, 1, 2])), ("time", .date([nil, 3, 5])), ("code", .string(["SEX//F", "A", "B"])),
                               ("numeric_value", .double([nil, 1.5, nil]))], to: dir + "/data/held_out/0.parquet")
        try TinyParquet.write(events([2, 3], [9 * day, -day], ["C", "D"]), to: dir + "/data/train/0.parquet")
        try TinyParquet.write([("subject_id", .int64([1, 2])), ("split", .string(["tuning", "train"]))],
                              to: dir + "/metadata/subject_splits.parquet")
        let cohort = try MEDSReader.read(dir)
        XCTAssertEqual(cohort.timelines.map(\.subjectID), [1, 2, 3])
        XCTAssertEqual(cohort.timeline(for: 1)?.events, [MEDSEvent(time: nil, code: "SEX//F"),
                                                       MEDSEvent(time: 3 * day, code: "A", numericValue: 1.5)])
        XCTAssertEqual(cohort.timeline(for: 2)?.events.map(\.code), ["B", "C"])
        XCTAssertEqual(cohort.split(of: 1), .tuning)
        XCTAssertEqual(cohort.split(of: 2), .train)
        XCTAssertEqual(cohort.split(of: 3), SubjectSplit.hashed(3))
        XCTAssertEqual(cohort.codeDescriptions, [:], "no metadata/codes.parquet")

        // metadata/codes.parquet names the codes (rows without a description are left out).
        try TinyParquet.write([("code", .string(["A", "B", "C"])), ("description", .string(["Aspirin", nil, ""]))],
                              to: dir + "/metadata/codes.parquet")
        XCTAssertEqual(try MEDSReader.read(dir).codeDescriptions, ["A": "Aspirin"])
        try TinyParquet.write([("code", .string(["A"]))], to: dir + "/metadata/codes.parquet")
        XCTAssertTrue(EHRTestFiles.errorMessage { _ = try MEDSReader.read(dir) }.hasPrefix("\(dir)/metadata/codes.parquet: "))
        try FileManager.default.removeItem(atPath: dir + "/metadata/codes.parquet")

        // Without the metadata file, the shard folders name the splits.
        try FileManager.default.removeItem(atPath: dir + "/metadata/subject_splits.parquet")
        let byFolder = try MEDSReader.read(dir)
        XCTAssertEqual(byFolder.split(of: 1), .heldOut)
        XCTAssertEqual(byFolder.split(of: 3), .train)

        // A later shard may not go back in time for a subject continued from an earlier one.
        try TinyParquet.write(events([2], [day], ["C"]), to: dir + "/data/train/0.parquet")
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(dir) },
                       "\(dir)/data/train/0.parquet: row group 0, row 1: subject 2's events go back in time (1970-01-02 00:00:00.000000 "
                       + "after 1970-01-06 00:00:00.000000; MEDS files are sorted by subject, then time)")
        try TinyParquet.write([("subject_id", .int64([1])), ("split", .string(["dev"]))], to: dir + "/metadata/subject_splits.parquet")
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(dir) },
                       "\(dir)/metadata/subject_splits.parquet: row group 0, row 1, column split: 'dev' is not train, tuning or held_out")
    }

    func testParquetLabelValueColumns() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = dir + "/labels.parquet"
        try TinyParquet.write([("subject_id", .int64([1, 2, 3])), ("prediction_time", .timestamp([5, 6, 7])),
                               ("boolean_value", .boolean([true, nil, nil])), ("integer_value", .int64([nil, 4, nil])),
                               ("float_value", .double([nil, 9, 0.5]))], to: path)
        XCTAssertEqual(try MEDSLabels.read(path), [PredictionLabel(subjectID: 1, predictionTime: 5, value: 1),
                                                   PredictionLabel(subjectID: 2, predictionTime: 6, value: 4),
                                                   PredictionLabel(subjectID: 3, predictionTime: 7, value: 0.5)])
        try TinyParquet.write([("subject_id", .int64([1])), ("prediction_time", .timestamp([5])), ("boolean_value", .string(["yes"]))],
                              to: path)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSLabels.read(path) },
                       "\(path): column boolean_value: boolean expected, found string")
        try TinyParquet.write([("subject_id", .int64([1, 2])), ("prediction_time", .timestamp([5, nil])),
                               ("boolean_value", .boolean([true, false]))], to: path)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSLabels.read(path) },
                       "\(path): row group 0, row 2, column prediction_time: null")
    }
}

/// Parquet files built in the test (one row group, PLAIN, uncompressed, data page v1, converted types),
/// so wrong column types and MEDS folder layouts can be checked without bundling more files.
enum TinyParquet {
    enum Values {
        case boolean([Bool?]), int32([Int32?]), int64([Int64?]), double([Double?]), string([String?])
        /// Days since 1970 (DATE) and microseconds since 1970 (TIMESTAMP_MICROS).
        case date([Int32?]), timestamp([Int64?])
    }

    static func write(_ columns: [(String, Values)], to path: String) throws {
        var file = Array("PAR1".utf8)
        let rows = columns.first.map { count($0.1) } ?? 0
        var chunks: [[UInt8]] = []
        for (name, values) in columns {
            let physical = types(values).0
            let (present, plain) = encode(values)
            var levels: [UInt8] = []
            var k = 0
            while k < present.count {  // RLE runs of definition levels (bit width 1)
                var run = 1
                while k + run < present.count, present[k + run] == present[k] { run += 1 }
                levels += varint(UInt64(run) << 1) + [present[k] ? 1 : 0]
                k += run
            }
            let body = le(UInt32(levels.count)) + levels + plain
            var header = Compact()
            header.i32(1, 0)
            header.i32(2, Int32(body.count))
            header.i32(3, Int32(body.count))
            header.structBegin(5)
            header.i32(1, Int32(rows)); header.i32(2, 0); header.i32(3, 3); header.i32(4, 3)
            header.structEnd()
            header.stop()
            let offset = file.count
            file += header.bytes + body
            var chunk = Compact()
            chunk.i64(2, Int64(offset))
            chunk.structBegin(3)
            chunk.i32(1, physical)
            chunk.list(2, type: 5, [0, 3].map { Compact.zigzag(Int64($0)) })
            chunk.listOfStrings(3, [name])
            chunk.i32(4, 0)
            chunk.i64(5, Int64(rows))
            chunk.i64(6, Int64(header.bytes.count + body.count))
            chunk.i64(7, Int64(header.bytes.count + body.count))
            chunk.i64(9, Int64(offset))
            chunk.structEnd()
            chunk.stop()
            chunks.append(chunk.bytes)
        }
        var meta = Compact()
        meta.i32(1, 1)
        var schema: [[UInt8]] = []
        var root = Compact()
        root.string(4, "schema"); root.i32(5, Int32(columns.count)); root.stop()
        schema.append(root.bytes)
        for (name, values) in columns {
            let (physical, converted) = types(values)
            var element = Compact()
            element.i32(1, physical); element.i32(3, 1); element.string(4, name)
            if let converted { element.i32(6, converted) }
            element.stop()
            schema.append(element.bytes)
        }
        meta.listOfStructs(2, schema)
        meta.i64(3, Int64(rows))
        var group = Compact()
        group.listOfStructs(1, chunks)
        group.i64(2, Int64(file.count - 4))
        group.i64(3, Int64(rows))
        group.stop()
        meta.listOfStructs(4, [group.bytes])
        meta.stop()
        file += meta.bytes + le(UInt32(meta.bytes.count)) + Array("PAR1".utf8)
        try Data(file).write(to: URL(fileURLWithPath: path))
    }

    private static func count(_ v: Values) -> Int {
        switch v {
        case .boolean(let a): return a.count
        case .int32(let a), .date(let a): return a.count
        case .int64(let a), .timestamp(let a): return a.count
        case .double(let a): return a.count
        case .string(let a): return a.count
        }
    }

    /// Physical type and converted type (UTF8 0, DATE 6, TIMESTAMP_MICROS 10).
    private static func types(_ v: Values) -> (Int32, Int32?) {
        switch v {
        case .boolean: return (0, nil)
        case .int32: return (1, nil)
        case .date: return (1, 6)
        case .int64: return (2, nil)
        case .timestamp: return (2, 10)
        case .double: return (5, nil)
        case .string: return (6, 0)
        }
    }

    private static func encode(_ v: Values) -> ([Bool], [UInt8]) {
        switch v {
        case .boolean(let a):
            let bits = a.compactMap { $0 }
            var bytes = [UInt8](repeating: 0, count: (bits.count + 7) / 8)
            for (i, b) in bits.enumerated() where b { bytes[i / 8] |= 1 << (i % 8) }
            return (a.map { $0 != nil }, bytes)
        case .int32(let a), .date(let a): return (a.map { $0 != nil }, a.compactMap { $0 }.flatMap { le(UInt32(bitPattern: $0)) })
        case .int64(let a), .timestamp(let a): return (a.map { $0 != nil }, a.compactMap { $0 }.flatMap { le(UInt64(bitPattern: $0)) })
        case .double(let a): return (a.map { $0 != nil }, a.compactMap { $0 }.flatMap { le($0.bitPattern) })
        case .string(let a): return (a.map { $0 != nil }, a.compactMap { $0 }.flatMap { le(UInt32($0.utf8.count)) + Array($0.utf8) })
        }
    }

    private static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value, out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }

    /// Thrift compact protocol, just what the footer and page headers need.
    struct Compact {
        var bytes: [UInt8] = []
        private var last: [Int16] = [0]

        static func zigzag(_ v: Int64) -> [UInt8] { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

        private mutating func field(_ id: Int16, _ type: UInt8) {
            let delta = id - last[last.count - 1]
            if delta > 0 && delta <= 15 { bytes.append(UInt8(delta) << 4 | type) } else { bytes.append(type); bytes += Self.zigzag(Int64(id)) }
            last[last.count - 1] = id
        }
        mutating func i32(_ id: Int16, _ v: Int32) { field(id, 5); bytes += Self.zigzag(Int64(v)) }
        mutating func i64(_ id: Int16, _ v: Int64) { field(id, 6); bytes += Self.zigzag(v) }
        mutating func string(_ id: Int16, _ s: String) { field(id, 8); bytes += varint(UInt64(s.utf8.count)) + Array(s.utf8) }
        mutating func structBegin(_ id: Int16) { field(id, 12); last.append(0) }
        mutating func structEnd() { bytes.append(0); last.removeLast() }
        mutating func stop() { bytes.append(0) }
        private mutating func listHeader(_ id: Int16, _ count: Int, _ type: UInt8) {
            field(id, 9)
            if count < 15 { bytes.append(UInt8(count) << 4 | type) } else { bytes.append(0xF0 | type); bytes += varint(UInt64(count)) }
        }
        mutating func list(_ id: Int16, type: UInt8, _ encoded: [[UInt8]]) { listHeader(id, encoded.count, type); for e in encoded { bytes += e } }
        mutating func listOfStrings(_ id: Int16, _ values: [String]) {
            list(id, type: 8, values.map { varint(UInt64($0.utf8.count)) + Array($0.utf8) })
        }
        /// Each element is a complete struct body ending with its stop byte.
        mutating func listOfStructs(_ id: Int16, _ structs: [[UInt8]]) { list(id, type: 12, structs) }
    }
}
