import SequoiaParquet
import XCTest

final class ParquetErrorTests: XCTestCase {
    func testMessageIsTheDescription() {
        XCTAssertEqual(ParquetError("a.parquet: row group 2, column code: bad page").description,
                       "a.parquet: row group 2, column code: bad page")
    }
}
