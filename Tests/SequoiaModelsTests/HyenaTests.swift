import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor
import XCTest

final class HyenaTests: XCTestCase {
    func testFixtureParity() throws {
        try checkFixtureParity("hyenadna", outputs: 5e-4, gradients: 1e-3, loss: 5e-5)
    }
}
