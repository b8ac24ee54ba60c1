import Proteins
import XCTest

final class ProteinTokenizerTests: XCTestCase {
    func testESM2Ids() throws {
        XCTAssertEqual(try ProteinTokenizer.encode(Array("LAGVSERTIDPKQNFYMHWCXBUZO.-".utf8)),
                       [0] + (4...30).map { Int32($0) } + [2])
        XCTAssertEqual(try ProteinTokenizer.encode(Array("mkl".utf8)), [0, 20, 15, 4, 2])
        XCTAssertEqual(ProteinTokenizer.tokens.count, ProteinTokenizer.vocabularySize)
        XCTAssertEqual(ProteinTokenizer.tokens[Int(ProteinTokenizer.mask)], "<mask>")
        XCTAssertEqual(ProteinTokenizer.tokens[31], "<null_1>")
        XCTAssertEqual(ProteinTokenizer.residueIds, 4...28)
        XCTAssertEqual(try ProteinTokenizer.encode([]), [0, 2])
    }

    func testDecodeAndErrors() throws {
        XCTAssertEqual(ProteinTokenizer.decode([0, 20, 15, 1, 32, 2]), "<cls>MK<pad><mask><eos>")
        XCTAssertEqual(ProteinTokenizer.decode(try ProteinTokenizer.encode(Array("ACDXO-".utf8))), "<cls>ACDXO-<eos>")
        XCTAssertThrowsError(try ProteinTokenizer.encode(Array("MKJ".utf8))) { error in
            XCTAssertEqual("\(error)", "invalid residue 'J' at position 3 (allowed: A-Z except J, '.', '-')")
        }
        XCTAssertThrowsError(try ProteinTokenizer.encode(Array("M*".utf8)))
    }
}
