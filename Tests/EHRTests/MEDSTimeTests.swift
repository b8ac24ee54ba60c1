import EHR
import Foundation
import XCTest

final class MEDSTimeTests: XCTestCase {
    func testParseAgreesWithFoundationAndFormatRoundTrips() throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let seconds = Int64.random(in: -5_000_000_000...5_000_000_000, using: &generator)
            let micros = Int64.random(in: 0..<1_000_000, using: &generator)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            XCTAssertEqual(MEDSTime.parse(text), seconds * 1_000_000, text)
            let t = seconds * 1_000_000 + micros
            XCTAssertEqual(MEDSTime.parse(MEDSTime.format(t)), t)
            XCTAssertTrue(MEDSTime.format(t).hasPrefix(text))
        }
    }

    func testFormsAndRejections() {
        XCTAssertEqual(MEDSTime.parse("1970-01-01"), 0)
        XCTAssertEqual(MEDSTime.parse("1970-01-02T00:00:01"), 86_401_000_000)
        XCTAssertEqual(MEDSTime.parse("1969-12-31 23:59:59.999999"), -1)
        XCTAssertEqual(MEDSTime.parse("1970-01-01 00:00:00.1234567"), 123_456)
        XCTAssertEqual(MEDSTime.parse("2000-02-29 00:00:00Z"), 951_782_400_000_000)
        XCTAssertEqual(MEDSTime.format(-1), "1969-12-31 23:59:59.999999")
        XCTAssertEqual(MEDSTime.format(0), "1970-01-01 00:00:00.000000")
        XCTAssertEqual(MEDSTime.parse("1908-05-17"[...]), MEDSTime.parse("1908-05-17 00:00:00.000000"))
        for bad in ["", "2001", "2001-02-29", "1900-02-29", "2001-13-01", "2001-00-10", "2001-01-32", "2001-01-01 24:00:00",
                    "2001-01-01 10:60:00", "2001-01-01 10:00", "2001-01-01 10:00:00.", "2001-01-01x10:00:00", "abcd-ef-gh",
                    "2001-01-01 10:00:00.12a"] {
            XCTAssertNil(MEDSTime.parse(bad), bad)
        }
    }
}
