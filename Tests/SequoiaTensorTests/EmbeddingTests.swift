import SequoiaTensor
import XCTest

final class EmbeddingTests: XCTestCase {
    private func check(_ name: String, ids: IndexTensor, vocab: Int, dim: Int,
                       file: StaticString = #filePath, line: UInt = #line) {
        checkOp(name, shapes: [[vocab, dim]],
                op: { embedding(ids, weight: $0[0]) },
                reference: { x in
                    var out: [Double] = []
                    for id in ids.scalars {
                        for j in 0..<dim { out.append(x[0][Int(id) * dim + j]) }
                    }
                    return out
                }, file: file, line: line)
    }

    func testRepeatedIdsAccumulateGradient() {
        // id 1 appears three times: its weight row collects three upstream rows.
        check("repeated", ids: IndexTensor(shape: [2, 3], scalars: [1, 4, 1, 0, 1, 3]), vocab: 5, dim: 3)
    }

    func testOneDimensionalIdsAndUnusedRows() {
        check("1-D", ids: IndexTensor(shape: [4], scalars: [6, 0, 2, 6]), vocab: 7, dim: 1)
    }

    func testShapeAndRows() {
        let w = Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
        let out = embedding(IndexTensor(shape: [2, 2, 1], scalars: [2, 0, 1, 2]), weight: w)
        XCTAssertEqual(out.shape, [2, 2, 1, 2])
        XCTAssertEqual(out.scalars, [20, 21, 0, 1, 10, 11, 20, 21])
    }

    func testWideRowsGradientAgainstCounts() {
        // Enough work for the column-split backward to run on several threads.
        let vocab = 50, dim = 256
        var rng = RandomGenerator(seed: 3)
        let ids = IndexTensor(shape: [400], scalars: (0..<400).map { _ in Int32(rng.nextInt(vocab)) })
        let w = Tensor.zeros([vocab, dim], requiresGrad: true)
        embedding(ids, weight: w).backward(Tensor.ones([400, dim]))
        var counts = [Float](repeating: 0, count: vocab)
        for id in ids.scalars { counts[Int(id)] += 1 }
        let g = w.grad!.scalars
        for v in 0..<vocab {
            for j in 0..<dim where g[v * dim + j] != counts[v] {
                XCTFail("row \(v) column \(j): \(g[v * dim + j]) != \(counts[v])")
                return
            }
        }
    }
}
