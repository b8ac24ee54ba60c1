import EHR
import Foundation
import XCTest

/// Each bad MEDS input is one line naming the file, the row and the column.
final class MEDSBadInputTests: XCTestCase {
    private func readError(_ csv: String, name: String = "events.csv") throws -> (path: String, message: String) {
        let dir = try EHRTestFiles.scratch(self)
        let path = try EHRTestFiles.write(csv, name, in: dir)
        let message = EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) }
        XCTAssertFalse(message.contains("\n"), message)
        return (path, message)
    }

    func testEventsGoingBackInTime() throws {
        let (path, message) = try readError("""
            subject_id,time,code,numeric_value
            17,2001-03-04,A,
            17,2002-05-06 10:00:00,B,
            17,2001-03-05,C,
            """)
        XCTAssertEqual(message, "\(path): row 3: subject 17's events go back in time (2001-03-05 00:00:00.000000 after "
            + "2002-05-06 10:00:00.000000; MEDS files are sorted by subject, then time)")
    }

    func testStaticFactAfterTimedEvents() throws {
        let (path, message) = try readError("subject_id,time,code,numeric_value\n3,2001-03-04,A,\n3,,SEX//F,\n")
        XCTAssertTrue(message.hasPrefix("\(path): row 2: subject 3's static fact 'SEX//F' (null time) comes after timed events"), message)
    }

    func testSubjectRowsMustBeContiguous() throws {
        let (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,A,\n2,2001-01-01,A,\n1,2002-01-01,B,\n")
        XCTAssertTrue(message.hasPrefix("\(path): row 3: subject 1's rows are not contiguous"), message)
    }

    func testMissingColumn() throws {
        let (path, message) = try readError("subject_id,time,numeric_value\n1,2001-01-01,\n")
        XCTAssertEqual(message, "\(path): no column 'code' (columns: subject_id, time, numeric_value)")
    }

    func testWrongTypes() throws {
        var (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,A,\nabc,2001-01-01,A,\n")
        XCTAssertEqual(message, "\(path): row 2, column subject_id: 'abc' is not an integer")
        (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-13-01,A,\n")
        XCTAssertEqual(message, "\(path): row 1, column time: '2001-13-01' is not a timestamp (YYYY-MM-DD[ HH:MM:SS[.ffffff]])")
        (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,A,1.5x\n")
        XCTAssertEqual(message, "\(path): row 1, column numeric_value: '1.5x' is not a number")
        (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,A,inf\n")
        XCTAssertEqual(message, "\(path): row 1, column numeric_value: 'inf' is not a finite number")
        (path, message) = try readError("subject_id,time,code,numeric_value\n99999999999999999999,2001-01-01,A,\n")
        XCTAssertEqual(message, "\(path): row 1, column subject_id: '99999999999999999999' is not an integer")
    }

    func testNullsAndRaggedRows() throws {
        var (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,A,\n1,2001-01-02,,\n")
        XCTAssertEqual(message, "\(path): row 2, column code: null or empty")
        (path, message) = try readError("subject_id,time,code,numeric_value\n,2001-01-01,A,\n")
        XCTAssertEqual(message, "\(path): row 1, column subject_id: null")
        (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,A\n")
        XCTAssertEqual(message, "\(path): row 1: 3 field(s), the header has 4")
        (path, message) = try readError("subject_id,time,code,numeric_value\n1,2001-01-01,\"A,\n")
        XCTAssertEqual(message, "\(path): row 1: unterminated quoted field at the end of the file")
    }

    func testTruncatedGzip() throws {
        let dir = try EHRTestFiles.scratch(self)
        let whole = try Data(contentsOf: URL(fileURLWithPath: EHRTestFiles.eunomiaCSV))
        let path = dir + "/truncated.csv.gz"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        let message = EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) }
        XCTAssertTrue(message.hasPrefix("\(path): row "), message)
        XCTAssertTrue(message.hasSuffix("truncated or corrupt compressed data"), message)
    }

    func testNotAMEDSInput() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = try EHRTestFiles.write("x", "events.json", in: dir)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(path) },
                       "\(path): not a MEDS input (expected a MEDS folder, .parquet, .csv or .csv.gz)")
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSReader.read(dir + "/none.csv") }, "\(dir)/none.csv: no such file or folder")
    }
}
