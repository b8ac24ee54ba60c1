import EHR
import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class PretrainingTests: XCTestCase {
    func testResumedRunMatchesAnUninterruptedOneBitwise() throws {
        let dir = try EHRFixture.temporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = dir.appendingPathComponent("events.csv")
        try EHRFixture.writeEvents(EHRFixture.cohort().timelines, to: events)
        let config = try EHRFixture.writeConfig(in: dir, steps: 8).path
        let whole = dir.appendingPathComponent("whole").path, split = dir.appendingPathComponent("split").path
        try EHRFixture.run(ehrTrainJob, ["--config", config, "--events", events.path, "--out", whole])
        try EHRFixture.run(ehrTrainJob, ["--config", config, "--events", events.path, "--out", split, "--pause-at", "4"])
        try EHRFixture.run(ehrTrainJob, ["--config", config, "--events", events.path, "--out", split, "--resume"])
        for file in ["model.safetensors", "config.json", "tokenizer.json", "ehr.json"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: whole).appendingPathComponent(file))
            let b = try Data(contentsOf: URL(fileURLWithPath: split).appendingPathComponent(file))
            XCTAssertEqual(a, b, "\(file) differs between a straight run and a paused-and-resumed one")
        }
        let metrics = try String(contentsOfFile: whole + "/metrics.jsonl", encoding: .utf8)
        XCTAssertTrue(metrics.contains("heldout_perplexity"), metrics)
        XCTAssertEqual(metrics.split(separator: "\n").count, 8)
        XCTAssertTrue(FileManager.default.fileExists(atPath: whole + "/loss.svg"))
        // The folder is a complete timeline model whose vocabulary sized the backbone.
        let folder = try TimelineModelFolder(URL(fileURLWithPath: whole))
        XCTAssertEqual(folder.settings.maxLength, 48)
        let mamba = try XCTUnwrap(folder.model as? MambaLanguageModel)
        XCTAssertEqual(mamba.config.vocabSize, folder.tokenizer.vocabularySize)
        XCTAssertEqual(mamba.config.paddedVocabSize % 8, 0)
    }

    func testResumeRefusesEventsThatFitAnotherTokenizer() throws {
        let dir = try EHRFixture.temporaryFolder("resume-other")
        defer { try? FileManager.default.removeItem(at: dir) }
        var (timelines, _) = EHRFixture.cohort(count: 30)
        let events = dir.appendingPathComponent("events.csv"), out = dir.appendingPathComponent("model").path
        try EHRFixture.writeEvents(timelines, to: events)
        let config = try EHRFixture.writeConfig(in: dir, steps: 4).path
        try EHRFixture.run(ehrTrainJob, ["--config", config, "--events", events.path, "--out", out, "--pause-at", "2"])
        for i in timelines.indices { timelines[i].events.append(MEDSEvent(time: timelines[i].events.last!.time! + 1, code: "NEW//CODE")) }
        try EHRFixture.writeEvents(timelines, to: events)
        let message = EHRFixture.failure(ehrTrainJob, ["--config", config, "--events", events.path, "--out", out, "--resume"])
        XCTAssertTrue(message.contains("tokenizer differs"), message)
        XCTAssertFalse(message.contains("\n"))
    }

    func testTokenizerIsFittedOnTrainSplitSubjectsOnly() throws {
        let dir = try EHRFixture.temporaryFolder("train-only")
        defer { try? FileManager.default.removeItem(at: dir) }
        var (timelines, _) = EHRFixture.cohort()
        let events = dir.appendingPathComponent("events.csv")
        // A code seen only in tuning and held-out subjects must not enter the vocabulary.
        try EHRFixture.writeEvents(timelines, to: events)
        let cohort = try MEDSReader.read(events.path)
        let nonTrain = timelines.indices.filter { cohort.split(of: timelines[$0].subjectID) != .train }
        XCTAssertFalse(nonTrain.isEmpty)
        for i in nonTrain { timelines[i].events.append(MEDSEvent(time: timelines[i].events.last!.time! + 1, code: "ONLY//HELD")) }
        try EHRFixture.writeEvents(timelines, to: events)
        let config = try EHRFixture.writeConfig(in: dir, steps: 1).path
        let out = dir.appendingPathComponent("model")
        try EHRFixture.run(ehrTrainJob, ["--config", config, "--events", events.path, "--out", out.path])
        let tokenizer = try TimelineTokenizer(contentsOf: out.appendingPathComponent("tokenizer.json"))
        let vocabulary = (0..<Int32(tokenizer.vocabularySize)).map(tokenizer.token)
        XCTAssertFalse(vocabulary.contains { $0.contains("ONLY//HELD") }, "\(vocabulary)")
        XCTAssertTrue(vocabulary.contains { $0.contains("C7") }, "\(vocabulary)")
    }

    func testHyenaAndAttentionBackbonesTrainFromConfig() throws {
        let dir = try EHRFixture.temporaryFolder("backbones")
        defer { try? FileManager.default.removeItem(at: dir) }
        let events = dir.appendingPathComponent("events.csv")
        try EHRFixture.writeEvents(EHRFixture.cohort(count: 30).timelines, to: events)
        for (backbone, type) in [("hyena", HyenaDNAForCausalLM.self as Any.Type), ("attention", AttentionLanguageModel.self)] {
            let config = try EHRFixture.writeConfig(in: dir, backbone: backbone, steps: 2).path
            let out = dir.appendingPathComponent(backbone)
            try EHRFixture.run(ehrTrainJob, ["--config", config, "--events", events.path, "--out", out.path])
            let folder = try TimelineModelFolder(out)
            XCTAssertTrue(Swift.type(of: folder.model) == type, "\(backbone): \(Swift.type(of: folder.model))")
            let metrics = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            XCTAssertTrue(metrics.contains("heldout_loss"), "\(backbone): \(metrics)")
        }
    }

    func testPaddingIsIgnoredByTheNextTokenLoss() throws {
        var rng = RandomGenerator(seed: 2)
        var config = MambaConfig(hiddenSize: 16, numHiddenLayers: 2, vocabSize: 20)
        config.stateSize = 4
        let model = try MambaLanguageModel(config, rng: &rng)
        model.eval()
        let rows: [[Int32]] = [[2, 5, 6, 7], [2, 9, 9, 9, 9, 9, 9, 3], [2, 4]]
        let batch = TimelineBatch(sequences: rows)
        XCTAssertEqual(batch.targetCount, 3 + 7 + 1)
        let batched = Double(model.loss(logits: model.forward(batch.ids).logits, labels: batch.labels).item())
        var nats = 0.0
        for row in rows {
            let single = TimelineBatch(sequences: [row])
            nats += Double(model.loss(logits: model.forward(single.ids).logits, labels: single.labels).item()) * Double(row.count - 1)
        }
        XCTAssertEqual(batched, nats / Double(batch.targetCount), accuracy: 1e-5)
        // The held-out evaluation sums the same nats whatever the batch size.
        let one = NextTokenEvaluation(sequences: rows, batchSize: 1).score(model)
        let all = NextTokenEvaluation(sequences: rows, batchSize: 3).score(model)
        XCTAssertEqual(one.tokenCount, 11)
        XCTAssertEqual(one.meanNats, all.meanNats, accuracy: 1e-5)
    }

    func testWindowsKeepTheMostRecentTokensAndCountTheirEvents() {
        let (timelines, _) = EHRFixture.cohort(count: 20)
        let tokenizer = TimelineTokenizer.fit(timelines, options: TimelineTokenizerOptions())
        let encoded = EncodedTimelines(timelines, tokenizer: tokenizer, maxLength: 12)
        XCTAssertEqual(encoded.count, 20)
        for (i, timeline) in timelines.enumerated() {
            XCTAssertEqual(encoded.sequences[i], tokenizer.encode(timeline.events[...], maxLength: 12))
            XCTAssertLessThanOrEqual(encoded.sequences[i].count, 12)
            let covered = encoded.eventCounts[i]
            let fitsWhole = tokenizer.encode(timeline.events[...], maxLength: Int.max).count <= 12
            XCTAssertEqual(covered == timeline.events.count, fitsWhole, "subject \(timeline.subjectID)")
            // The covered suffix fits whole; one event more does not.
            XCTAssertLessThanOrEqual(tokenizer.encode(timeline.events.suffix(covered), maxLength: Int.max).count, 12)
            if !fitsWhole {
                XCTAssertGreaterThan(tokenizer.encode(timeline.events.suffix(covered + 1), maxLength: Int.max).count, 12)
            }
        }
        XCTAssertTrue(encoded.eventCounts.indices.contains { encoded.eventCounts[$0] < timelines[$0].events.count })
        let short = EncodedTimelines(timelines, tokenizer: tokenizer, maxLength: 10_000)
        XCTAssertEqual(short.eventCount, timelines.reduce(0) { $0 + $1.events.count })
    }

    func testBatchesVisitEveryTimelineOncePerEpochAndResumeFromTheirPosition() throws {
        let (timelines, _) = EHRFixture.cohort(count: 10)
        let tokenizer = TimelineTokenizer.fit(timelines, options: TimelineTokenizerOptions())
        let encoded = EncodedTimelines(timelines, tokenizer: tokenizer, maxLength: 16)
        var data = TimelineBatch.epochs(encoded, batchSize: 4, seed: 9)
        var rng = RandomGenerator(seed: 0)
        var seen: [[Int32]] = []
        for _ in 0..<data.batchesPerEpoch {
            let batch = try data.next(rng: &rng)
            for r in 0..<batch.lengths.count {
                let width = batch.ids.shape[1]
                seen.append(Array(batch.ids.scalars[r * width ..< r * width + batch.lengths[r]]))
            }
        }
        XCTAssertEqual(seen.map { "\($0)" }.sorted(), encoded.sequences.map { "\($0)" }.sorted())
        let saved = data.position
        let next = try data.next(rng: &rng)
        var restored = TimelineBatch.epochs(encoded, batchSize: 4, seed: 9)
        restored.position = saved
        XCTAssertEqual(try restored.next(rng: &rng).ids, next.ids)
    }
}
