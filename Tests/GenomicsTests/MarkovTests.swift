import Foundation
import XCTest
import Genomics

final class MarkovTests: XCTestCase {
    /// HyenaDNA ids of A, C, G, T (N is 11).
    private func tokens(_ letters: String) -> [Int32] {
        letters.map { ["A": 7, "C": 8, "G": 9, "T": 10][$0.uppercased()] ?? 11 }
    }

    /// A reproducible stream of 64-bit values (splitmix64), so tests need no other module.
    private struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) / 9_007_199_254_740_992.0 }
    }

    func testPeriodicSequenceIsLearnedAtItsOrder() {
        // In ACGTTGCA repeated, two nucleotides always fix the next one ("CA" -> A, "AA" -> C, ...) but one does
        // not (A is followed by C or A).
        let train = tokens(String(repeating: "ACGTTGCA", count: 2000))
        let test = tokens(String(repeating: "ACGTTGCA", count: 125))
        let model = MarkovModel(trainingOn: [train], order: 2)
        XCTAssertLessThan(model.score(test).bitsPerToken, 0.01)
        XCTAssertGreaterThan(model.reduced(toOrder: 1).score(test).bitsPerToken, 0.4)
        XCTAssertEqual(model.reduced(toOrder: 0).score(test).bitsPerToken, 2, accuracy: 0.01)
        XCTAssertEqual(model.score(test).tokenCount, 1000)
    }

    func testUniformRandomSequenceCostsTwoBits() {
        var random = SplitMix(state: 42)
        let letters = (0..<240_000).map { _ in Int32(7 + random.next() % 4) }
        let result = MarkovBaseline.fit(train: [Array(letters[..<200_000])], validation: [Array(letters[200_000...])], maxOrder: 6)
        XCTAssertEqual(result.validationBits, 2, accuracy: 0.01)
        XCTAssertLessThanOrEqual(result.chosenOrder, 2)
        XCTAssertEqual(result.model.order, result.chosenOrder)
        XCTAssertEqual(result.bitsByOrder.count, 7)
        XCTAssertGreaterThan(result.bitsByOrder[6], result.validationBits)
    }

    func testOrderSelectionFindsASecondOrderChain() {
        // Next nucleotide = (2a + b + 1) mod 4 with probability 0.7 after (a, b), else one of the other three:
        // entropy -0.7 log2 0.7 - 0.3 log2 0.1 = 1.357 bits.
        var random = SplitMix(state: 7)
        var sequence: [Int32] = [7, 8]
        for _ in 0..<150_000 {
            let a = Int(sequence[sequence.count - 2] - 7), b = Int(sequence[sequence.count - 1] - 7)
            let likely = (2 * a + b + 1) % 4
            let next = random.uniform() < 0.7 ? likely : (likely + 1 + Int(random.next() % 3)) % 4
            sequence.append(Int32(7 + next))
        }
        let result = MarkovBaseline.fit(train: [Array(sequence[..<120_000])], validation: [Array(sequence[120_000...])])
        XCTAssertEqual(result.chosenOrder, 2, "bits by order: \(result.bitsByOrder)")
        XCTAssertEqual(result.validationBits, 1.357, accuracy: 0.02)
        XCTAssertGreaterThan(result.bitsByOrder[1], 1.55)  // b alone leaves two likely successors
    }

    func testNBreaksContextAndMaskSelectsPositions() {
        let model = MarkovModel(trainingOn: [tokens(String(repeating: "ACGT", count: 500) + "NNNN")], order: 3)
        // After an N, A has no context: exactly the order-0 probability.
        let afterN = model.score(tokens("GNA"), mask: [false, false, true])
        XCTAssertEqual(afterN.tokenCount, 1)
        XCTAssertEqual(afterN.totalNats, model.reduced(toOrder: 0).score(tokens("A")).totalNats, accuracy: 1e-12)
        // In context, C after "GTA" is near certain; an N target is scored with its learned (small) probability.
        XCTAssertLessThan(model.score(tokens("GTAC"), mask: [false, false, false, true]).bitsPerToken, 0.01)
        let nTarget = model.score(tokens("ACGN"), mask: [false, false, false, true])
        XCTAssertTrue(nTarget.bitsPerToken.isFinite)
        XCTAssertGreaterThan(nTarget.bitsPerToken, 5)
        // Windows sum their masked positions.
        let both = model.score(windows: [tokens("ACGT"), tokens("GNA")], masks: [[true, true, true, true], [false, false, true]])
        XCTAssertEqual(both.tokenCount, 5)
        XCTAssertEqual(both.totalNats, model.score(tokens("ACGT")).totalNats + afterN.totalNats, accuracy: 1e-12)
    }

    func testYeastChromosomeIBaseline() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Data/dna/yeast_chrI_Biostrings.fa")
        let text = try String(contentsOf: url, encoding: .ascii)
        let genome = tokens(text.split(separator: "\n").filter { !$0.hasPrefix(">") }.joined())
        XCTAssertEqual(genome.count, 230_208)
        let trainEnd = genome.count * 8 / 10, validationEnd = genome.count * 9 / 10
        let result = MarkovBaseline.fit(train: [Array(genome[..<trainEnd])], validation: [Array(genome[trainEnd..<validationEnd])])
        let test = result.model.score(Array(genome[validationEnd...]))
        print("yeast chrI Markov: order \(result.chosenOrder), validation \(result.validationBits) bits, test \(test.bitsPerToken) bits;",
              "by order \(result.bitsByOrder.map { ($0 * 1000).rounded() / 1000 })")
        XCTAssertTrue((2...8).contains(result.chosenOrder))
        XCTAssertEqual(test.bitsPerToken, 1.92, accuracy: 0.06)
        XCTAssertEqual(result.validationBits, 1.92, accuracy: 0.06)
    }
}
