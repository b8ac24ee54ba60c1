import EHR
import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor
import XCTest

/// Issue 6, item 4: a score may use only the static facts and the events strictly before its
/// prediction time. Whatever happens at or after that time must leave the score bit-identical;
/// a change to an earlier event must move it (so the test can fail).
final class LeakageTests: XCTestCase {
    /// The score of each subject at its label's prediction time (timelines and labels in the same order).
    private func scores(_ timelines: [Timeline], _ labels: [PredictionLabel], model: any LanguageModel,
                        tokenizer: TimelineTokenizer, head: TaskHead) throws -> [Double] {
        let windows = zip(timelines, labels).map {
            PredictionWindows.window($0.0, at: $0.1.predictionTime, tokenizer: tokenizer, maxLength: 64)
        }
        return TimelineScorer(backbone: model.backbone, head: head, batchSize: 5).probabilities(windows)
    }

    /// The future of subject `index` rewritten: an event at exactly the prediction time, a new code
    /// after it, and every later event's code and value changed.
    private func rewritingTheFuture(_ timelines: [Timeline], _ label: PredictionLabel, index: Int) -> [Timeline] {
        var changed = timelines
        var events = changed[index].events.map { event -> MEDSEvent in
            guard let time = event.time, time >= label.predictionTime else { return event }
            return MEDSEvent(time: time, code: "C\(((Int(event.code.dropFirst()) ?? 0) + 1) % 10)", numericValue: 1e6)
        }
        events.append(MEDSEvent(time: label.predictionTime + 400 * EHRFixture.day, code: "NEVER//SEEN"))
        let at = events.firstIndex { ($0.time ?? .min) >= label.predictionTime }!
        events.insert(MEDSEvent(time: label.predictionTime, code: "C9", numericValue: 5), at: at)
        changed[index] = Timeline(subjectID: changed[index].subjectID, events: events)
        return changed
    }

    func testEventsAtOrAfterThePredictionTimeCannotChangeAScore() throws {
        let (timelines, labels) = EHRFixture.cohort(count: 24)
        let tokenizer = TimelineTokenizer.fit(timelines, options: TimelineTokenizerOptions())
        for (name, json) in EHRFixture.tinyModels.sorted(by: { $0.key < $1.key }) {
            let model = try TimelineBackbone.build(try ModelRegistry.shared.config(from: Data(json.utf8), validate: false),
                                                   vocabularySize: tokenizer.vocabularySize, maxLength: 64, seed: 3, source: name)
            var rng = RandomGenerator(seed: 1)
            let head = TaskHead(kind: .probe, weights: (0..<model.backbone.hiddenSize).map { _ in Double(rng.nextNormal()) },
                                bias: 0.1)
            let base = try scores(timelines, labels, model: model, tokenizer: tokenizer, head: head)
            for index in [0, 7, 23] {
                let future = rewritingTheFuture(timelines, labels[index], index: index)
                XCTAssertNotEqual(future[index], timelines[index])
                XCTAssertEqual(try scores(future, labels, model: model, tokenizer: tokenizer, head: head), base,
                               "\(name): an event at or after the prediction time moved a score")

                // The last event before the prediction time, recoded: that score (only) must move.
                var past = timelines
                let last = past[index].events.lastIndex { ($0.time ?? .min) < labels[index].predictionTime }!
                past[index].events[last].code = past[index].events[last].code == "C1" ? "C2" : "C1"
                let moved = try scores(past, labels, model: model, tokenizer: tokenizer, head: head)
                XCTAssertNotEqual(moved[index], base[index], "\(name): an earlier event did not reach the score")
                for other in labels.indices where other != index { XCTAssertEqual(moved[other], base[other], "\(name)") }
            }
        }
    }

    /// The same through the CLI jobs: a cohort whose every future is rewritten scores byte-identically.
    func testScoresFileIgnoresEveryFutureEvent() throws {
        let dir = try EHRFixture.temporaryFolder("leakage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (timelines, labels) = EHRFixture.cohort(count: 40)
        let events = dir.appendingPathComponent("events.csv"), labelFile = dir.appendingPathComponent("labels.csv")
        try EHRFixture.writeEvents(timelines, to: events)
        try EHRFixture.writeLabels(labels, to: labelFile)
        let model = dir.appendingPathComponent("model"), task = dir.appendingPathComponent("task")
        try EHRFixture.run(ehrTrainJob, ["--config", try EHRFixture.writeConfig(in: dir, steps: 2, maxLength: 256).path,
                                         "--events", events.path, "--out", model.path])
        try EHRFixture.run(ehrFinetuneJob, ["--model", model.path, "--events", events.path, "--labels", labelFile.path,
                                            "--out", task.path])
        func score(_ timelines: [Timeline], _ name: String) throws -> Data {
            let file = dir.appendingPathComponent("\(name).csv"), out = dir.appendingPathComponent("\(name)-scores.csv")
            try EHRFixture.writeEvents(timelines, to: file)
            try EHRFixture.run(ehrScoreJob, ["--model", task.path, "--events", file.path, "--labels", labelFile.path, "--out", out.path])
            return try Data(contentsOf: out)
        }
        var future = timelines
        for index in timelines.indices { future = rewritingTheFuture(future, labels[index], index: index) }
        let base = try score(timelines, "base")
        XCTAssertEqual(try score(future, "future"), base)
        var past = timelines
        past[3].events[2].code = past[3].events[2].code == "C1" ? "C2" : "C1"
        XCTAssertNotEqual(try score(past, "past"), base)
    }
}
