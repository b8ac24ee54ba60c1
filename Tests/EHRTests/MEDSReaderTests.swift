import EHR
import Foundation
import XCTest

final class MEDSReaderTests: XCTestCase {
    func testEunomiaCSVMatchesTheRawRows() throws {
        let cohort = try EHRTestFiles.eunomiaCohort()
        XCTAssertEqual(cohort.timelines.count, 2_694)
        XCTAssertEqual(cohort.eventCount, 222_403)

        // The same rows parsed the simple way (Eunomia's fields hold no commas or quotes inside quotes).
        let lines = try EHRTestFiles.gunzip(EHRTestFiles.eunomiaCSV).split(separator: "\n").dropFirst()
        var expected: [Int64: [(String, String)]] = [:]
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let code = f[2].first == "\"" ? f[2].dropFirst().dropLast() : f[2]
            expected[Int64(f[0])!, default: []].append((String(f[1]), String(code)))
        }
        XCTAssertEqual(expected.count, cohort.timelines.count)
        XCTAssertEqual(cohort.timelines.map(\.subjectID), expected.keys.sorted())
        for timeline in cohort.timelines {
            let rows = try XCTUnwrap(expected[timeline.subjectID])
            XCTAssertEqual(timeline.events.map(\.code), rows.map(\.1))
            XCTAssertEqual(timeline.events.map { $0.time.map(MEDSTime.format) ?? "" }, rows.map(\.0))
            XCTAssertTrue(timeline.events.allSatisfy { $0.numericValue == nil && $0.textValue == nil })
        }
        XCTAssertEqual(cohort.timeline(for: 1)?.events.first?.code, "GENDER//M")
        XCTAssertNil(cohort.timeline(for: -5))
    }

    func testGzipAndPlainCSVGiveIdenticalCohorts() throws {
        let dir = try EHRTestFiles.scratch(self)
        let plain = try EHRTestFiles.write(try EHRTestFiles.gunzip(EHRTestFiles.eunomiaCSV), "meds_events.csv", in: dir)
        let fromPlain = try MEDSReader.read(plain, progress: true)
        let fromGzip = try EHRTestFiles.eunomiaCohort()
        XCTAssertEqual(fromPlain.timelines, fromGzip.timelines)
    }

    func testStaticFactsComeFirstAndValuesAreRead() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = try EHRTestFiles.write("""
            subject_id,time,code,numeric_value,text_value
            20,,"SEX//F",,
            20,,AGE_GROUP,3.5,
            20,2001-03-04,"LAB//A1C",6.25,
            20,2001-03-04T10:30:00,NOTE,,"hello, ""world""\"
            5,,SEX//M,,\r
            5,1908-01-02 00:00:00.5,BIRTH,,
            """, "events.csv", in: dir)
        let cohort = try MEDSReader.read(path)
        XCTAssertEqual(cohort.timelines.map(\.subjectID), [5, 20])
        let twenty = try XCTUnwrap(cohort.timeline(for: 20))
        XCTAssertEqual(twenty.events, [
            MEDSEvent(time: nil, code: "SEX//F"),
            MEDSEvent(time: nil, code: "AGE_GROUP", numericValue: 3.5),
            MEDSEvent(time: medsTime("2001-03-04 00:00:00"), code: "LAB//A1C", numericValue: 6.25),
            MEDSEvent(time: medsTime("2001-03-04 10:30:00"), code: "NOTE", textValue: "hello, \"world\""),
        ])
        let five = try XCTUnwrap(cohort.timeline(for: 5))
        XCTAssertEqual(five.events.map(\.code), ["SEX//M", "BIRTH"])
        XCTAssertEqual(five.events[1].time, medsTime("1908-01-02 00:00:00") + 500_000)
        XCTAssertLessThan(five.events[1].time!, 0)
    }

    func testQuotedFieldsLongerThanTheReadBuffer() throws {
        let dir = try EHRTestFiles.scratch(self)
        // A 3 MB note with commas, newlines and doubled quotes crosses several 1 MB buffer refills.
        let note = String(repeating: "line, with \"quotes\"\r\nand more ", count: 100_000)
        let escaped = note.replacingOccurrences(of: "\"", with: "\"\"")
        var text = "subject_id,time,code,numeric_value,text_value\n"
        for k in 0..<3 { text += "\(k),2001-01-0\(k + 1),NOTE,\(k).5,\"\(escaped)\"\r\n" }
        let cohort = try MEDSReader.read(try EHRTestFiles.write(text, "notes.csv", in: dir))
        XCTAssertEqual(cohort.timelines.count, 3)
        for (k, timeline) in cohort.timelines.enumerated() {
            XCTAssertEqual(timeline.events, [MEDSEvent(time: medsTime("2001-01-0\(k + 1)"), code: "NOTE", numericValue: Double(k) + 0.5,
                                                       textValue: note)])
        }
    }

    func testHashedSplitsAreStableAndNearEightyTenTen() throws {
        let cohort = try EHRTestFiles.eunomiaCohort()
        XCTAssertFalse(cohort.hasNamedSplits)
        var counts: [SubjectSplit: Int] = [:]
        for timeline in cohort.timelines {
            let split = cohort.split(of: timeline.subjectID)
            XCTAssertEqual(split, SubjectSplit.hashed(timeline.subjectID))
            counts[split, default: 0] += 1
        }
        let n = Double(cohort.timelines.count)
        XCTAssertEqual(Double(counts[.train] ?? 0) / n, 0.8, accuracy: 0.03)
        XCTAssertEqual(Double(counts[.tuning] ?? 0) / n, 0.1, accuracy: 0.02)
        XCTAssertEqual(Double(counts[.heldOut] ?? 0) / n, 0.1, accuracy: 0.02)
        // Explicit splits override the hash.
        let named = Cohort(source: "x", timelines: Array(cohort.timelines.prefix(3)), splits: [1: .heldOut])
        XCTAssertEqual(named.split(of: 1), .heldOut)
        XCTAssertEqual(named.split(of: 2), SubjectSplit.hashed(2))
    }

    func testFolderWithoutShardsIsAnError() throws {
        let dir = try EHRTestFiles.scratch(self)
        try FileManager.default.createDirectory(atPath: dir + "/tuning", withIntermediateDirectories: true)
        _ = try EHRTestFiles.write("subject_id,time,code,numeric_value\n", "tuning/0.csv", in: dir)
        try FileManager.default.createDirectory(atPath: dir + "/train", withIntermediateDirectories: true)
        let message = EHRTestFiles.errorMessage { _ = try MEDSReader.read(dir) }
        XCTAssertEqual(message, "\(dir): no MEDS shards (expected data/**/*.parquet or */*.parquet)")
    }
}
