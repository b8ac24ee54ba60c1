import EHR
import Foundation
import XCTest

final class TokenizerTests: XCTestCase {
    private let day: Int64 = 86_400_000_000

    private func texts(_ tokenizer: TimelineTokenizer, _ ids: [Int32]) -> [String] { ids.map { tokenizer.token($0) } }

    func testMinCountSendsRareCodesToUnknown() {
        let events = ["A", "A", "A", "B", "B", "C"].enumerated().map { MEDSEvent(time: Int64($0.offset), code: $0.element) }
        let tokenizer = TimelineTokenizer.fit([Timeline(subjectID: 1, events: events)],
                                              options: TimelineTokenizerOptions(minCount: 2, timeTokens: .none))
        let probe = ["A", "B", "C", "never seen"].map { MEDSEvent(time: 0, code: $0) }
        let ids = tokenizer.encode(probe[...], maxLength: 10)
        XCTAssertEqual(ids.first, TimelineTokenizer.begin)
        XCTAssertEqual(texts(tokenizer, ids), ["[BEGIN]", "A", "B", "[UNK]", "[UNK]"])
        XCTAssertEqual(ids[3], TimelineTokenizer.unknown)
        XCTAssertEqual(tokenizer.token(TimelineTokenizer.pad), "[PAD]")
        XCTAssertEqual(tokenizer.vocabularySize, 5)
    }

    func testNumericBinsSitAtTrainingQuantiles() {
        var generator = SeededGenerator(seed: 7)
        for (n, bins) in [(100, 4), (1_000, 10), (37, 5)] {
            // Distinct values in shuffled order; a value of rank r (0-based, ascending) belongs to bin floor(r * bins / n).
            let values = (0..<n).map { Double($0) * 0.37 - 5 }.shuffled(using: &generator)
            var events = values.enumerated().map { MEDSEvent(time: Int64($0.offset) * day, code: "LAB", numericValue: $0.element) }
            events.append(MEDSEvent(time: Int64(n) * day, code: "LAB"))
            events.append(MEDSEvent(time: Int64(n + 1) * day, code: "PLAIN"))
            let tokenizer = TimelineTokenizer.fit([Timeline(subjectID: 1, events: events)],
                                                  options: TimelineTokenizerOptions(numericBins: bins, timeTokens: .none))
            let ranks = Dictionary(uniqueKeysWithValues: values.sorted().enumerated().map { ($0.element, $0.offset) })
            let ids = tokenizer.encode(events[...], maxLength: n + 10)
            let expected = values.map { "LAB//Q\(ranks[$0]! * bins / n + 1)" } + ["LAB", "PLAIN"]
            if n % bins == 0 {
                XCTAssertEqual(texts(tokenizer, Array(ids.dropFirst())), expected, "n \(n) bins \(bins)")
            }
            // Every bin holds about n/bins of the training values.
            var perBin: [String: Int] = [:]
            for id in ids.dropFirst().prefix(n) { perBin[tokenizer.token(id), default: 0] += 1 }
            XCTAssertEqual(perBin.count, bins)
            XCTAssertTrue(perBin.values.allSatisfy { abs($0 - n / bins) <= 1 }, "\(perBin)")
            // Values beyond the training range fall in the end bins.
            let outside = tokenizer.encode([MEDSEvent(time: 0, code: "LAB", numericValue: -1e9),
                                            MEDSEvent(time: 0, code: "LAB", numericValue: 1e9)][...], maxLength: 3)
            XCTAssertEqual(texts(tokenizer, outside), ["[BEGIN]", "LAB//Q1", "LAB//Q\(bins)"])
        }
    }

    func testNumericBinsOnRealTrainingValues() throws {
        let cohort = try MEDSReader.read(EHRTestFiles.acesSample)
        let training = cohort.timelines(in: .train)
        let bins = 10
        let tokenizer = TimelineTokenizer.fit(training, options: TimelineTokenizerOptions(numericBins: bins))
        var values: [String: [Double]] = [:]
        for timeline in training {
            for event in timeline.events { if let v = event.numericValue { values[event.code, default: []].append(v) } }
        }
        XCTAssertGreaterThan(values["HR"]?.count ?? 0, 1_000)
        for (code, codeValues) in values {
            // Cut points computed here: the values at sorted ranks n*k/bins, above the minimum, distinct.
            let sorted = codeValues.sorted()
            var cuts: [Double] = []
            for k in 1..<bins {
                let cut = sorted[k * sorted.count / bins]
                if cut > sorted[0], !cuts.contains(cut) { cuts.append(cut) }
            }
            var seen = Set<String>()
            for v in codeValues {
                let expected = "\(code)//Q\(cuts.filter { $0 <= v }.count + 1)"
                let token = tokenizer.token(tokenizer.id(of: MEDSEvent(time: 0, code: code, numericValue: v)))
                XCTAssertEqual(token, expected)
                seen.insert(token)
            }
            XCTAssertEqual(seen.count, cuts.count + 1, code)  // no empty bin on the training values
        }
        // Heart rates spread enough for all ten bins.
        XCTAssertEqual(tokenizer.token(tokenizer.id(of: MEDSEvent(time: 0, code: "HR", numericValue: 1e9))), "HR//Q10")
    }

    func testTiedValuesShareABin() {
        let events = (0..<20).map { MEDSEvent(time: Int64($0), code: "X", numericValue: $0 < 15 ? 1 : 2) }
        let tokenizer = TimelineTokenizer.fit([Timeline(subjectID: 1, events: events)],
                                              options: TimelineTokenizerOptions(numericBins: 10, timeTokens: .none))
        let tokens = texts(tokenizer, tokenizer.encode(events[...], maxLength: 30))
        XCTAssertEqual(tokens, ["[BEGIN]"] + Array(repeating: "X//Q1", count: 15) + Array(repeating: "X//Q2", count: 5))
        XCTAssertEqual(tokenizer.vocabularySize, 3 + 3)  // specials, X, X//Q1, X//Q2
    }

    func testTimeTokensForKnownGapsInBothModes() {
        let gaps: [Int64] = [0, day / 2, day, 3 * day + 5, 10 * day, 27 * day, 28 * day, 100 * day, 364 * day, 365 * day, 2_000 * day]
        var t: Int64 = medsTime("1908-03-01")
        var events = [MEDSEvent(time: nil, code: "SEX//F")]
        for (k, gap) in gaps.enumerated() {
            t += gap
            events.append(MEDSEvent(time: t, code: "E\(k)"))
        }
        let days = TimelineTokenizer.fit([Timeline(subjectID: 1, events: events)],
                                         options: TimelineTokenizerOptions(timeTokens: .days, maxDayTokens: 30))
        XCTAssertEqual(texts(days, days.encode(events[...], maxLength: 100)), [
            "[BEGIN]", "SEX//F", "E0", "E1", "[DAY 1]", "E2", "[DAY 3]", "E3", "[DAY 10]", "E4", "[DAY 27]", "E5", "[DAY 28]", "E6",
            "[LT]", "E7", "[LT]", "E8", "[LT]", "E9", "[LT]", "E10",
        ])
        let buckets = TimelineTokenizer.fit([Timeline(subjectID: 1, events: events)],
                                            options: TimelineTokenizerOptions(timeTokens: .buckets))
        XCTAssertEqual(texts(buckets, buckets.encode(events[...], maxLength: 100)), [
            "[BEGIN]", "SEX//F", "E0", "E1", "[W0]", "E2", "[W0]", "E3", "[W1]", "E4", "[W3]", "E5", "[M0]", "E6",
            "[M3]", "E7", "[M11]", "E8", "[LT]", "E9", "[LT]", "E10",
        ])
        let none = TimelineTokenizer.fit([Timeline(subjectID: 1, events: events)], options: TimelineTokenizerOptions(timeTokens: .none))
        XCTAssertEqual(none.encode(events[...], maxLength: 100).count, 1 + events.count)
    }

    func testTruncationKeepsTheMostRecentTokens() throws {
        let cohort = try EHRTestFiles.eunomiaCohort()
        let tokenizer = TimelineTokenizer.fit(cohort.timelines, options: TimelineTokenizerOptions())
        let timeline = try XCTUnwrap(cohort.timelines.max { $0.events.count < $1.events.count })
        let full = tokenizer.encode(timeline.events[...], maxLength: Int.max)
        XCTAssertGreaterThan(full.count, 300)
        for maxLength in [1, 2, 3, 64, 255, 256, full.count - 1] {
            let kept = tokenizer.encode(timeline.events[...], maxLength: maxLength)
            XCTAssertEqual(kept.first, TimelineTokenizer.begin)
            XCTAssertTrue(kept.count == maxLength || kept.count == maxLength - 1, "\(maxLength): \(kept.count)")
            XCTAssertEqual(Array(kept.dropFirst()), Array(full.suffix(kept.count - 1)))
            if maxLength > 1 { XCTAssertEqual(kept.last, tokenizer.id(of: timeline.events.last!)) }
        }
        XCTAssertEqual(tokenizer.encode(timeline.events[...], maxLength: 0), [])
    }

    func testSaveAndLoadRoundTrip() throws {
        let dir = try EHRTestFiles.scratch(self)
        let cohort = try EHRTestFiles.eunomiaCohort()
        var events = cohort.timelines[0].events
        events.append(MEDSEvent(time: events.last!.time! + 1, code: "LAB", numericValue: 4.2))
        let training = cohort.timelines.filter { cohort.split(of: $0.subjectID) == .train }
            + [Timeline(subjectID: -1, events: (0..<50).map { MEDSEvent(time: Int64($0), code: "LAB", numericValue: Double($0) / 7) })]
        let tokenizer = TimelineTokenizer.fit(training, options: TimelineTokenizerOptions(minCount: 3, numericBins: 5, timeTokens: .buckets))
        try tokenizer.save(to: URL(fileURLWithPath: dir))
        let loaded = try TimelineTokenizer(contentsOf: URL(fileURLWithPath: dir + "/tokenizer.json"))
        XCTAssertEqual(loaded, tokenizer)
        XCTAssertEqual(loaded.vocabularySize, tokenizer.vocabularySize)
        XCTAssertEqual((0..<Int32(tokenizer.vocabularySize)).map(loaded.token), (0..<Int32(tokenizer.vocabularySize)).map(tokenizer.token))
        for timeline in cohort.timelines.prefix(200) {
            XCTAssertEqual(loaded.encode(timeline.events[...], maxLength: 256), tokenizer.encode(timeline.events[...], maxLength: 256))
        }
        XCTAssertEqual(loaded.encode(events[...], maxLength: 4), tokenizer.encode(events[...], maxLength: 4))
        // Saving again writes the same bytes (deterministic JSON).
        let first = try Data(contentsOf: URL(fileURLWithPath: dir + "/tokenizer.json"))
        try loaded.save(to: URL(fileURLWithPath: dir + "/again.json"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/again.json")), first)
    }

    func testOptionsJSONUsesSnakeCaseAndDefaults() throws {
        let options = try JSONDecoder().decode(TimelineTokenizerOptions.self,
                                               from: Data(#"{"min_count": 4, "time_tokens": "buckets"}"#.utf8))
        XCTAssertEqual(options, TimelineTokenizerOptions(minCount: 4, timeTokens: .buckets))
        XCTAssertEqual(try JSONDecoder().decode(TimelineTokenizerOptions.self, from: Data("{}".utf8)), TimelineTokenizerOptions())
        let text = String(decoding: try JSONEncoder().encode(TimelineTokenizerOptions()), as: UTF8.self)
        for key in ["min_count", "numeric_bins", "time_tokens", "max_day_tokens"] { XCTAssertTrue(text.contains("\"\(key)\""), text) }
        XCTAssertThrowsError(try JSONDecoder().decode(TimelineTokenizerOptions.self, from: Data(#"{"min_count": 0}"#.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(TimelineTokenizerOptions.self, from: Data(#"{"time_tokens": "hours"}"#.utf8)))
    }

    func testEncodingBeforeAPredictionTimeHoldsNoLaterToken() throws {
        let cohort = try EHRTestFiles.eunomiaCohort()
        let labels = try MEDSLabels.read(EHRTestFiles.eunomiaLabelsCSV)
        let tokenizer = TimelineTokenizer.fit(cohort.timelines, options: TimelineTokenizerOptions())
        var checked = 0
        for label in labels.prefix(400) {
            let timeline = try XCTUnwrap(cohort.timeline(for: label.subjectID))
            let visible = timeline.events(before: label.predictionTime)
            XCTAssertTrue(visible.allSatisfy { ($0.time ?? .min) < label.predictionTime })
            let full = tokenizer.encode(timeline.events[...], maxLength: Int.max)
            let before = tokenizer.encode(visible, maxLength: Int.max)
            // Tokens come in event order, so the visible events' tokens are a prefix of the whole timeline's.
            XCTAssertEqual(Array(full.prefix(before.count)), before)
            // Changing every event at or after the prediction time changes nothing.
            var altered = timeline
            for k in visible.endIndex..<altered.events.count { altered.events[k].code = "LATER//\(k)" }
            XCTAssertEqual(tokenizer.encode(altered.events(before: label.predictionTime), maxLength: 128),
                           tokenizer.encode(visible, maxLength: 128))
            if visible.endIndex < timeline.events.count { checked += 1 }
        }
        XCTAssertGreaterThan(checked, 100)
    }
}

/// A small seeded generator (splitmix64) so shuffles are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
