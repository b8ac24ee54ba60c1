import Foundation
import SequoiaKit
import SequoiaTensor
import XCTest

/// Each kind of dataset and attribute reads back exactly what was written.
final class HDF5RoundTripTests: XCTestCase {
    func testFloat32TensorsOfEveryRank() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("t.h5").path
        let matrix = Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.5 - 2 })
        let vector = Tensor(shape: [5], scalars: [1, -2, .pi, 1e-30, -0.0])
        let file = try HDF5File.create(path)
        try file.root.write("matrix", matrix)
        try file.root.write("nested/deeper/vector", vector)
        try file.root.write("scalar", floats: [7.25], shape: [])
        try file.root.write("empty", floats: [], shape: [0, 4])
        try file.close()

        let read = try HDF5File.openReadOnly(path)
        let m = try read.root.dataset("matrix")
        XCTAssertEqual(try m.shape(), [3, 4])
        XCTAssertEqual(try m.readFloat32(), matrix.scalars)
        let t = try read.root.dataset("nested/deeper/vector").readTensor()
        XCTAssertEqual(t.shape, [5])
        XCTAssertEqual(t.scalars.map(\.bitPattern), vector.scalars.map(\.bitPattern))
        XCTAssertEqual(try read.root.group("nested").dataset("deeper/vector").shape(), [5])
        XCTAssertEqual(try read.root.dataset("scalar").shape(), [])
        XCTAssertEqual(try read.root.dataset("scalar").readFloat32(), [7.25])
        XCTAssertEqual(try read.root.dataset("empty").shape(), [0, 4])
        XCTAssertEqual(try read.root.dataset("empty").readFloat32(), [])
    }

    func testLargeTensorIsCompressedAndExact() throws {
        let folder = try hdf5TestFolder(self)
        // 512 x 1024 floats = 2 MiB with few distinct values: compressible, and above the automatic threshold.
        let values = (0..<(512 * 1024)).map { Float($0 % 97) * 0.25 }
        for (name, compression) in [("auto", HDF5Compression.automatic), ("plain", .none), ("gzip", .gzip)] {
            let path = folder.appendingPathComponent("\(name).h5").path
            let file = try HDF5File.create(path)
            try file.root.write("x", floats: values, shape: [512, 1024], compression: compression)
            try file.close()
            XCTAssertEqual(try HDF5File.openReadOnly(path).root.dataset("x").readFloat32(), values)
        }
        func size(_ name: String) throws -> Int {
            try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.size] as! Int
        }
        XCTAssertGreaterThan(try size("plain.h5"), 2 << 20)
        XCTAssertLessThan(try size("auto.h5"), 1 << 20)
        XCTAssertLessThan(try size("gzip.h5"), 1 << 20)
    }

    func testInt64AndStrings() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("s.h5").path
        let ints: [Int64] = [0, -1, .max, .min, 42, 7]
        let strings = ["chrI:1-1000", "", "Säure-β", "日本語のID", "emoji 🧬", String(repeating: "x", count: 5000)]
        let file = try HDF5File.create(path)
        try file.root.write("ints", int64s: ints, shape: [2, 3])
        try file.root.write("ids", strings: strings)
        try file.close()

        let read = try HDF5File.openReadOnly(path).root
        XCTAssertEqual(try read.dataset("ints").shape(), [2, 3])
        XCTAssertEqual(try read.dataset("ints").readInt64(), ints)
        XCTAssertEqual(try read.dataset("ids").readStrings(), strings)
    }

    func testExtendibleDatasetsGrowByAppend() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("e.h5").path
        let file = try HDF5File.create(path)
        let mean = try file.root.createExtendible("mean", .float32, columns: 3)
        let ids = try file.root.createExtendible("ids", .string)
        let lengths = try file.root.createExtendible("lengths", .int64, compression: .gzip)
        XCTAssertEqual(try mean.shape(), [0, 3])
        try mean.append(rows: [1, 2, 3])
        try mean.append(rows: Tensor(shape: [2, 3], scalars: [4, 5, 6, 7, 8, 9]))
        try mean.append(rows: [])
        try ids.append(["a"])
        try ids.append(["ß", "c"])
        try lengths.append([10, 20, 30])
        XCTAssertEqual(try mean.shape(), [3, 3])
        XCTAssertEqual(try mean.readFloat32(), (1...9).map(Float.init))
        XCTAssertEqual(try ids.readStrings(), ["a", "ß", "c"])
        XCTAssertEqual(try lengths.readInt64(), [10, 20, 30])

        try mean.resize(rows: 2)
        XCTAssertEqual(try mean.readFloat32(), (1...6).map(Float.init))
        XCTAssertThrowsError(try mean.append(rows: [1, 2])) { XCTAssertTrue("\($0)".contains("whole rows"), "\($0)") }
        XCTAssertThrowsError(try mean.append(rows: Tensor.zeros([1, 4])))
        XCTAssertThrowsError(try file.root.createExtendible("bad", .string, columns: 2))
        try file.root.write("fixed", floats: [1, 2])
        XCTAssertThrowsError(try file.root.dataset("fixed").append(rows: [3])) {
            XCTAssertTrue("\($0)".contains("not extendible"), "\($0)")
        }
        try file.close()
    }

    func testAttributesOnFileGroupsAndDatasets() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("a.h5").path
        let file = try HDF5File.create(path)
        try file.root.setAttribute("layout_version", 1)
        try file.root.setAttribute("model", "/models/hyena tiny/ü")
        let group = try file.root.createGroup("per_residue")
        try group.setAttribute("d_model", 128)
        let data = try file.root.write("mean", floats: [1, 2])
        try data.setAttribute("scale", 0.125)
        try data.setAttribute("scale", 0.5) // replaces
        try file.close()

        let read = try HDF5File.openReadOnly(path).root
        XCTAssertEqual(try read.intAttribute("layout_version"), 1)
        XCTAssertEqual(try read.stringAttribute("model"), "/models/hyena tiny/ü")
        XCTAssertEqual(try read.attributeNames(), ["layout_version", "model"])
        XCTAssertEqual(try read.group("per_residue").intAttribute("d_model"), 128)
        XCTAssertEqual(try read.group("per_residue").doubleAttribute("d_model"), 128)
        XCTAssertEqual(try read.dataset("mean").doubleAttribute("scale"), 0.5)
        XCTAssertNil(try read.intAttribute("missing"))
        XCTAssertNil(try read.stringAttribute("missing"))
        XCTAssertThrowsError(try read.intAttribute("model")) { XCTAssertTrue("\($0)".contains("not an integer"), "\($0)") }
        XCTAssertThrowsError(try read.stringAttribute("layout_version")) {
            XCTAssertTrue("\($0)".hasSuffix("/: attribute 'layout_version': does not hold strings"), "\($0)")
        }
    }

    func testGroupsListAndNavigate() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("g.h5").path
        let file = try HDF5File.create(path)
        let perResidue = try file.root.createGroup("a/per_residue")
        XCTAssertEqual(try file.root.createGroup("a/per_residue").path, "/a/per_residue") // reuses it
        try perResidue.write("seq2", floats: [1])
        try perResidue.write("seq10", floats: [2])
        try file.root.write("ids", strings: [])
        XCTAssertEqual(try file.root.names(), ["a", "ids"])
        XCTAssertEqual(try perResidue.names(), ["seq10", "seq2"])
        XCTAssertTrue(try file.root.contains("a/per_residue/seq2"))
        XCTAssertFalse(try file.root.contains("a/per_residue/seq3"))
        XCTAssertFalse(try file.root.contains("ids/x"))
        XCTAssertFalse(try file.root.contains("nope/x"))
        XCTAssertThrowsError(try file.root.group("ids")) { XCTAssertTrue("\($0)".contains("is not a group"), "\($0)") }
        XCTAssertThrowsError(try file.root.dataset("a")) { XCTAssertTrue("\($0)".contains("is not a dataset"), "\($0)") }
        XCTAssertThrowsError(try file.root.createGroup("ids/sub"))
        try perResidue.remove("seq2")
        XCTAssertEqual(try perResidue.names(), ["seq10"])
        try file.close()
    }
}
