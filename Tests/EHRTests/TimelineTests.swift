import EHR
import XCTest

final class TimelineTests: XCTestCase {
    func testEventsBeforeAPredictionTimeExcludeThatTime() {
        let timeline = Timeline(subjectID: 7, events: [
            MEDSEvent(time: nil, code: "SEX//F"),
            MEDSEvent(time: 10, code: "A"),
            MEDSEvent(time: 20, code: "B"),
            MEDSEvent(time: 20, code: "C"),
            MEDSEvent(time: 30, code: "D"),
        ])
        XCTAssertEqual(timeline.events(before: 20).map(\.code), ["SEX//F", "A"])
        XCTAssertEqual(timeline.events(before: 21).map(\.code), ["SEX//F", "A", "B", "C"])
        XCTAssertEqual(timeline.events(before: 5).map(\.code), ["SEX//F"])
        XCTAssertEqual(timeline.events(before: 100).count, 5)
    }
}
