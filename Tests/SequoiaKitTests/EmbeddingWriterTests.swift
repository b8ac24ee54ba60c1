import Foundation
import SequoiaKit
import SequoiaTensor
import XCTest

/// The shared embedding file: means over each item's positions, per-item states, string columns,
/// atomic creation, and extension that checks the layout and trims what a crash left.
final class EmbeddingWriterTests: XCTestCase {
    private let layout = EmbeddingLayout(perItemGroup: "per_item", stringColumns: ["tag"], attributes: [("layer", 2)])

    /// [2, 3, 2] states: row r, position t, channel c holds 10r + t + c/10.
    private var states: Tensor {
        Tensor(shape: [2, 3, 2], scalars: (0..<12).map { (i: Int) -> Float in
            let (row, position, channel) = (i / 6, (i / 2) % 3, i % 2)
            return Float(10 * row + position) + Float(channel) / 10
        })
    }

    func testCreateAppearsOnlyWhenFinished() throws {
        let folder = try hdf5TestFolder(self)
        let path = folder.appendingPathComponent("e.h5").path
        let writer = try EmbeddingWriter.create(path, model: "m", width: 2, layout: layout)
        try writer.append([EmbeddingItem(id: "a", states: states, row: 0, positions: 0..<3, columns: ["x"]),
                           EmbeddingItem(id: "b", states: states, row: 1, positions: 1..<3, columns: ["y"])], perItem: true)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try writer.finish()
        let file = try HDF5File.openReadOnly(path)
        defer { try? file.close() }
        XCTAssertEqual(try file.root.dataset("ids").readStrings(), ["a", "b"])
        XCTAssertEqual(try file.root.dataset("tag").readStrings(), ["x", "y"])
        let mean = try file.root.dataset("mean").readFloat32()
        for (x, y) in zip(mean, [1, 1.1, 11.5, 11.6] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        XCTAssertEqual(try file.root.dataset("per_item/b").shape(), [2, 2])
        XCTAssertEqual(try file.root.intAttribute("layer"), 2)
        XCTAssertEqual(try file.root.stringAttribute("model"), "m")

        // An abandoned file leaves nothing behind.
        let other = folder.appendingPathComponent("abandoned.h5").path
        do { _ = try EmbeddingWriter.create(other, model: "m", width: 2, layout: layout) }
        XCTAssertEqual(try hdf5FolderContents(folder), ["e.h5"])
    }

    func testExtendSkipsStoredIdsAndRefusesAnotherLayout() throws {
        let folder = try hdf5TestFolder(self)
        let path = folder.appendingPathComponent("e.h5").path
        let first = try EmbeddingWriter.extend(path, model: "m", width: 2, layout: layout)
        XCTAssertTrue(first.existingIds.isEmpty)
        try first.append([EmbeddingItem(id: "a", states: states, row: 0, positions: 0..<3, columns: ["x"])], perItem: false)
        try first.finish()

        let second = try EmbeddingWriter.extend(path, model: "m", width: 2, layout: layout)
        XCTAssertEqual(second.existingIds, ["a"])
        try second.append([EmbeddingItem(id: "b", states: states, row: 1, positions: 0..<1, columns: ["y"])], perItem: false)
        try second.finish()
        let file = try HDF5File.openReadOnly(path)
        XCTAssertEqual(try file.root.dataset("ids").readStrings(), ["a", "b"])
        XCTAssertEqual(try file.root.dataset("mean").shape(), [2, 2])
        try file.close()

        let wider = EmbeddingLayout(perItemGroup: "per_item", stringColumns: ["tag"], attributes: [("layer", 3)])
        XCTAssertThrowsError(try EmbeddingWriter.extend(path, model: "m", width: 2, layout: wider)) {
            XCTAssertTrue("\($0)".contains("existing file has layer 2 where this run needs 3; left untouched"), "\($0)")
        }
        XCTAssertThrowsError(try EmbeddingWriter.extend(path, model: "m", width: 4, layout: layout)) {
            XCTAssertTrue("\($0)".contains("existing file has d_model 2 where this run needs 4"), "\($0)")
        }
        let notHDF5 = folder.appendingPathComponent("text.h5")
        try Data("hello".utf8).write(to: notHDF5)
        XCTAssertThrowsError(try EmbeddingWriter.extend(notHDF5.path, model: "m", width: 2, layout: layout)) {
            XCTAssertTrue("\($0)".contains("exists and is not a readable HDF5 file"), "\($0)")
        }
        XCTAssertEqual(EmbeddingWriter.datasetNameProblem("a/b", group: "per_item"), "id 'a/b' cannot name an HDF5 dataset under /per_item")
        XCTAssertNil(EmbeddingWriter.datasetNameProblem("sp|P1|X", group: "per_item"))
    }

    func testTokenBudgetBatches() {
        let lengths = [3, 3, 4, 10, 2, 2, 2, 2]
        let groups = batches(lengths[...], maxTokens: 9, length: { $0 }).map(Array.init)
        XCTAssertEqual(groups, [[3, 3], [4], [10], [2, 2, 2, 2]])
        XCTAssertEqual(groups.flatMap { $0 }, lengths)
    }
}
