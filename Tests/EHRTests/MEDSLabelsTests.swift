import EHR
import Foundation
import XCTest

final class MEDSLabelsTests: XCTestCase {
    func testEunomiaLabelsMatchTheRawRows() throws {
        let labels = try MEDSLabels.read(EHRTestFiles.eunomiaLabelsCSV)
        let lines = try String(contentsOfFile: EHRTestFiles.eunomiaLabelsCSV, encoding: .utf8)
            .split(separator: "\n").dropFirst()
        XCTAssertEqual(labels.count, lines.count)
        for (label, line) in zip(labels, lines) {
            let f = line.split(separator: ",")
            XCTAssertEqual(label.subjectID, Int64(f[0]))
            XCTAssertEqual(MEDSTime.format(label.predictionTime), String(f[1]))
            XCTAssertEqual(label.value, f[2] == "true" ? 1 : 0)
        }
        XCTAssertTrue(labels.contains { $0.value == 1 } && labels.contains { $0.value == 0 })
        try MEDSLabels.check(labels, against: try EHRTestFiles.eunomiaCohort(), labelSource: EHRTestFiles.eunomiaLabelsCSV)
    }

    func testValueColumnsAndBooleanSpellings() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = try EHRTestFiles.write("""
            subject_id,prediction_time,boolean_value,integer_value,float_value,categorical_value
            1,2001-01-01,True,,,
            1,2001-01-02,0,,,
            2,2001-01-03,,3,,
            2,2001-01-04,,,0.25,
            3,2001-01-05,,,,1
            """, "labels.csv", in: dir)
        let labels = try MEDSLabels.read(path)
        XCTAssertEqual(labels.map(\.value), [1, 0, 3, 0.25, 1])
        XCTAssertEqual(labels.map(\.subjectID), [1, 1, 2, 2, 3])
        XCTAssertEqual(labels[2].predictionTime, medsTime("2001-01-03"))
    }

    func testBadLabels() throws {
        let dir = try EHRTestFiles.scratch(self)
        var path = try EHRTestFiles.write("subject_id,prediction_time,boolean_value\n1,2001-01-01,maybe\n", "a.csv", in: dir)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSLabels.read(path) },
                       "\(path): row 1, column boolean_value: 'maybe' is not a boolean (true/false/1/0)")
        path = try EHRTestFiles.write("subject_id,prediction_time,label\n1,2001-01-01,1\n", "b.csv", in: dir)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSLabels.read(path) },
                       "\(path): no label column (expected one of boolean_value, integer_value, float_value, categorical_value; "
                       + "columns: subject_id, prediction_time, label)")
        path = try EHRTestFiles.write("subject_id,prediction_time,boolean_value\n1,2001-01-01,\n", "c.csv", in: dir)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSLabels.read(path) },
                       "\(path): row 1, column boolean_value/integer_value/float_value/categorical_value: no label value (all null)")
        path = try EHRTestFiles.write("subject_id,prediction_time,boolean_value\n1,yesterday,true\n", "d.csv", in: dir)
        XCTAssertEqual(EHRTestFiles.errorMessage { _ = try MEDSLabels.read(path) },
                       "\(path): row 1, column prediction_time: 'yesterday' is not a timestamp (YYYY-MM-DD[ HH:MM:SS[.ffffff]])")
    }

    func testLabelsForUnknownSubjects() throws {
        let dir = try EHRTestFiles.scratch(self)
        let path = try EHRTestFiles.write("subject_id,prediction_time,boolean_value\n1,2001-01-01,true\n987654,2001-01-01,false\n",
                                          "labels.csv", in: dir)
        let labels = try MEDSLabels.read(path)
        let cohort = try EHRTestFiles.eunomiaCohort()
        let message = EHRTestFiles.errorMessage { try MEDSLabels.check(labels, against: cohort, labelSource: path) }
        XCTAssertEqual(message, "\(path): row 2, column subject_id: subject 987654 is not in the events (\(EHRTestFiles.eunomiaCSV))")
    }
}
