import Genomics
import XCTest

final class TokenizerTests: XCTestCase {
    typealias T = NucleotideTokenizer

    func testHyenaDNAVocabulary() {
        XCTAssertEqual(T.vocabularySize, 12)
        XCTAssertEqual(T.vocabulary, ["[CLS]", "[SEP]", "[BOS]", "[MASK]", "[PAD]", "[RESERVED]", "[UNK]",
                                      "A", "C", "G", "T", "N"])
        XCTAssertEqual([T.cls, T.sep, T.bos, T.mask, T.pad, T.reserved, T.unk, T.a, T.c, T.g, T.t, T.n],
                       Array(0...11))
    }

    func testKnownStrings() {
        XCTAssertEqual(T.encode("ACGTN"), [7, 8, 9, 10, 11])
        XCTAssertEqual(T.encode("acgtn"), [7, 8, 9, 10, 11])
        XCTAssertEqual(T.encode("RYSWKMBDHVrysw"), Array(repeating: 11, count: 14))
        XCTAssertEqual(T.encode("AU-*x "), [7, 6, 6, 6, 6, 6])
        XCTAssertEqual(T.encode(""), [])
        XCTAssertEqual(T.decode(T.encode("GATTACAn")), "GATTACAN")
        XCTAssertEqual(T.decode([0, 7, 4, 1, 99]), "[CLS]A[PAD][SEP][UNK]")
    }

    func testEveryByte() {
        let all = (0...255).map { UInt8($0) }
        let ids = T.encode(all)
        for b in all {
            let s = Character(UnicodeScalar(b))
            let expected: Int32
            switch s {
            case "A", "a": expected = 7
            case "C", "c": expected = 8
            case "G", "g": expected = 9
            case "T", "t": expected = 10
            case "N", "n", "R", "r", "Y", "y", "S", "s", "W", "w", "K", "k", "M", "m",
                 "B", "b", "D", "d", "H", "h", "V", "v": expected = 11
            default: expected = 6
            }
            XCTAssertEqual(ids[Int(b)], expected, "byte \(b)")
        }
    }

    func testReverseComplement() {
        XCTAssertEqual(T.decode(T.reverseComplement(T.encode("AACGTN"))), "NACGTT")
        XCTAssertEqual(T.reverseComplement([T.cls, T.a, T.c, T.sep]), [T.sep, T.g, T.t, T.cls])
        for id in Int32(0)..<Int32(12) {
            XCTAssertEqual(T.reverseComplement(T.reverseComplement([id])), [id])
        }
        let seq = T.encode("GATTACAGGCTNacgt")
        XCTAssertEqual(T.reverseComplement(T.reverseComplement(seq)), seq)
    }
}
