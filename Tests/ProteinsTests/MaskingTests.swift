import Proteins
import SequoiaTensor
import XCTest

final class MaskingTests: XCTestCase {
    /// 100 proteins of 1000 residues framed by <cls>/<eos>: 1e5 candidate positions.
    private func proteins(_ rng: inout RandomGenerator) -> [[Int32]] {
        (0..<100).map { _ in [0] + (0..<1000).map { _ in Int32(4 + rng.nextInt(20)) } + [2] }
    }

    func testProportionsOnAHundredThousandResidues() {
        var data = RandomGenerator(seed: 1), rng = RandomGenerator(seed: 2)
        let masking = ResidueMasking()
        var chosen = 0, masked = 0, kept = 0, replaced = 0, total = 0
        for original in proteins(&data) {
            var ids = original
            let labels = masking.apply(to: &ids, rng: &rng)
            total += original.count - 2
            for i in ids.indices where labels[i] != ResidueMasking.ignoredLabel {
                chosen += 1
                XCTAssertEqual(labels[i], original[i])
                if ids[i] == 32 { masked += 1 } else if ids[i] == original[i] { kept += 1 } else {
                    replaced += 1
                    XCTAssert((4...28).contains(ids[i]))
                }
            }
            for i in ids.indices where labels[i] == ResidueMasking.ignoredLabel { XCTAssertEqual(ids[i], original[i]) }
        }
        XCTAssertEqual(total, 100_000)
        XCTAssertEqual(chosen, 15_000)  // exactly round(15%) of each protein
        // A random replacement equals the original 1 time in 25, so "kept" gains ~0.4% of the chosen.
        XCTAssertEqual(Double(masked) / Double(chosen), 0.8, accuracy: 0.015)
        XCTAssertEqual(Double(replaced) / Double(chosen), 0.1 * 24 / 25, accuracy: 0.01)
        XCTAssertEqual(Double(kept) / Double(chosen), 0.1 + 0.1 / 25, accuracy: 0.01)
    }

    func testSpecialsAreNeverChosen() {
        var rng = RandomGenerator(seed: 3)
        let masking = ResidueMasking(fraction: 1)
        for _ in 0..<50 {
            var ids: [Int32] = [0, 5, 6, 3, 7, 2, 1, 1, 32]
            let labels = masking.apply(to: &ids, rng: &rng)
            XCTAssertEqual(labels.indices.filter { labels[$0] != -100 }, [1, 2, 4])
            XCTAssertEqual([ids[0], ids[3], ids[5], ids[6], ids[7], ids[8]], [0, 3, 2, 1, 1, 32])
        }
        var onlySpecials: [Int32] = [0, 2, 1]
        XCTAssertEqual(masking.apply(to: &onlySpecials, rng: &rng), [-100, -100, -100])
    }

    func testDeterministicFromTheGenerator() {
        let masking = ResidueMasking()
        var a = RandomGenerator(seed: 9), b = RandomGenerator(seed: 9)
        var x: [Int32] = [0] + (0..<200).map { Int32(4 + $0 % 20) } + [2], y = x
        XCTAssertEqual(masking.apply(to: &x, rng: &a), masking.apply(to: &y, rng: &b))
        XCTAssertEqual(x, y)
        XCTAssertEqual(masking.apply(to: &x, rng: &a).count, 202)
    }

    func testBatchesPadRightAndResumeFromPosition() throws {
        var gen = RandomGenerator(seed: 4)
        let sequences: [[Int32]] = (0..<37).map { i in [0] + (0..<(5 + i * 3)).map { _ in Int32(4 + gen.nextInt(20)) } + [2] }
        var data = try ProteinBatches(sequences: sequences, batchSize: 4, maxLength: 64, seed: 7, poolBatches: 3)
        var rng = RandomGenerator(seed: 5)
        var drawn: [MaskedBatch] = []
        for _ in 0..<25 { drawn.append(try data.next(rng: &rng)) }  // crosses an epoch (10 batches each)
        for batch in drawn {
            let (b, l) = (batch.ids.shape[0], batch.ids.shape[1])
            XCTAssertLessThanOrEqual(l, 64)
            for r in 0..<b {
                XCTAssertLessThanOrEqual(batch.lengths[r], 64)
                for c in batch.lengths[r]..<l {
                    XCTAssertEqual(batch.ids.scalars[r * l + c], 1)
                    XCTAssertEqual(batch.labels.scalars[r * l + c], -100)
                }
            }
            XCTAssertGreaterThan(batch.labelledCount, 0)
        }
        // Every protein appears once per epoch.
        var fresh = try ProteinBatches(sequences: sequences, batchSize: 4, maxLength: 1000, seed: 7, poolBatches: 3)
        var r2 = RandomGenerator(seed: 5), seen = 0
        for _ in 0..<fresh.batchesPerEpoch { seen += try fresh.next(rng: &r2).lengths.count }
        XCTAssertEqual(seen, 37)
        // Restoring a position (through JSON) and the generator continues the same stream.
        var replay = try ProteinBatches(sequences: sequences, batchSize: 4, maxLength: 64, seed: 7, poolBatches: 3)
        var r3 = RandomGenerator(seed: 5)
        var mid = try ProteinBatches(sequences: sequences, batchSize: 4, maxLength: 64, seed: 7, poolBatches: 3)
        for _ in 0..<13 { _ = try replay.next(rng: &r3) }
        mid.position = try JSONDecoder().decode(ProteinBatches.Position.self, from: JSONEncoder().encode(replay.position))
        for k in 13..<25 {
            let batch = try mid.next(rng: &r3)
            XCTAssertEqual(batch.ids.scalars, drawn[k].ids.scalars)
            XCTAssertEqual(batch.labels.scalars, drawn[k].labels.scalars)
        }
    }
}
