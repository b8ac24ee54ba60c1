import Foundation
import Genomics
import SequoiaTensor
import XCTest

final class WindowsTests: XCTestCase {
    let regions = [GenomicRegion(record: 0, range: 100..<200), GenomicRegion(record: 1, range: 0..<40),
                   GenomicRegion(record: 2, range: 50..<350)]

    func testWindowsFitTheirRegionsAndSkipShortOnes() throws {
        var sampler = try WindowSampler(regions: regions, length: 64, seed: 1)
        XCTAssertEqual(sampler.skippedRegions, 1)
        XCTAssertEqual(sampler.windowCount, (100 - 63) + (300 - 63))
        for w in sampler.next(2000) {
            XCTAssertEqual(w.region.range.count, 64)
            let home = regions.first { $0.record == w.region.record }!
            XCTAssertTrue(home.range.contains(w.region.range.lowerBound) && w.region.range.upperBound <= home.range.upperBound)
            XCTAssertNotEqual(w.region.record, 1)
        }
        XCTAssertEqual(sampler.state.drawn, 2000)
    }

    func testEveryStartIsEquallyLikely() throws {
        // Region picks follow window counts: 37 vs 237 starts.
        var sampler = try WindowSampler(regions: regions, length: 64, seed: 7)
        let draws = 40_000
        let windows = sampler.next(draws)
        let first = windows.filter { $0.region.record == 0 }.count
        XCTAssertEqual(Double(first) / Double(draws), 37.0 / 274.0, accuracy: 0.01)
        let starts = Set(windows.map { $0.region })
        XCTAssertEqual(starts.count, 274, "every window position gets drawn")
        let flipped = windows.filter(\.reverseComplement).count
        XCTAssertEqual(Double(flipped) / Double(draws), 0.5, accuracy: 0.01)
    }

    func testSameSeedSameWindowsAndResumeFromSavedState() throws {
        var a = try WindowSampler(regions: regions, length: 32, seed: 42)
        var b = try WindowSampler(regions: regions, length: 32, seed: 42)
        XCTAssertEqual(a.next(100), b.next(100))
        let saved = try JSONEncoder().encode(a.state)
        let straight = a.next(50)
        var resumed = try WindowSampler(regions: regions, length: 32, seed: 0)
        resumed.state = try JSONDecoder().decode(WindowSampler.State.self, from: saved)
        XCTAssertEqual(resumed.next(50), straight)
        XCTAssertEqual(resumed.state, a.state)
        var other = try WindowSampler(regions: regions, length: 32, seed: 43)
        var fresh = try WindowSampler(regions: regions, length: 32, seed: 42)
        XCTAssertNotEqual(other.next(20), fresh.next(20))
    }

    func testNoAugmentationWhenProbabilityIsZero() throws {
        var sampler = try WindowSampler(regions: regions, length: 10, seed: 3, reverseComplementProbability: 0)
        XCTAssertFalse(sampler.next(500).contains { $0.reverseComplement })
    }

    func testWindowLongerThanEveryRegionFails() {
        XCTAssertThrowsError(try WindowSampler(regions: regions, length: 301, seed: 0)) { error in
            XCTAssertEqual("\(error)", "window length 301 is longer than every region (longest 300 nt)")
        }
        XCTAssertThrowsError(try WindowSampler(regions: regions, length: 0, seed: 0))
        XCTAssertNoThrow(try WindowSampler(regions: regions, length: 300, seed: 0))
        XCTAssertThrowsError(try WindowSampler(regions: [], length: 8, seed: 0)) { error in
            XCTAssertEqual("\(error)", "window length 8 is longer than every region (no regions)")
        }
    }

    func testWindowLongerThanTheSequenceNamesFileAndRecord() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(">a\nACGTACGT\n>b\nACGTACGTACGT\n", "x.fa", in: dir)
        let source = try FastaReader.open(path)
        let split = GenomeSplit(records: source.records, holdOut: .tail(fraction: 0))
        XCTAssertThrowsError(try WindowSampler(regions: split.train, length: 13, seed: 0, source: source)) { error in
            XCTAssertEqual("\(error)", "\(path): window length 13 is longer than every region (longest 12 nt, record 'b' 0..<12)")
        }
    }

    func testWindowTokensFromARealGenome() throws {
        let source = try FastaReader.open(TestFiles.ecoliGzip)
        let split = GenomeSplit(records: source.records)
        var sampler = try WindowSampler(regions: split.train, length: 1024, seed: 5)
        for w in sampler.next(20) {
            XCTAssertLessThanOrEqual(w.region.range.upperBound, 4_445_028)
            let tokens = try w.tokens(from: source)
            let forward = NucleotideTokenizer.encode(try source.fetch(record: 0, range: w.region.range))
            XCTAssertEqual(tokens, w.reverseComplement ? NucleotideTokenizer.reverseComplement(forward) : forward)
            XCTAssertTrue(tokens.allSatisfy { (7...11).contains($0) })
        }
    }

    func testEvaluationWindowsTileInOrder() {
        let tiles = evaluationWindows(length: 40, regions: regions)
        XCTAssertEqual(tiles, [GenomicRegion(record: 0, range: 100..<140), GenomicRegion(record: 0, range: 140..<180),
                               GenomicRegion(record: 1, range: 0..<40)]
                       + (0..<7).map { GenomicRegion(record: 2, range: (50 + 40 * $0)..<(90 + 40 * $0)) })
        let all = evaluationWindows(length: 40, regions: regions, keepRemainder: true)
        XCTAssertEqual(all.filter { $0.record == 0 }.map(\.range), [100..<140, 140..<180, 180..<200])
        XCTAssertEqual(all.reduce(0) { $0 + $1.range.count }, 100 + 40 + 300)
        XCTAssertEqual(evaluationWindows(length: 1000, regions: regions), [])
    }
}
