import Foundation
import SequoiaKit
import XCTest

/// Atomic creation, resumable appends, and failures that name the file and the object.
final class HDF5FileLifecycleTests: XCTestCase {
    func testCreateAppearsOnlyOnClose() throws {
        let folder = try hdf5TestFolder(self)
        let path = folder.appendingPathComponent("out.h5").path
        let file = try HDF5File.create(path)
        try file.root.write("x", floats: [1, 2, 3])
        try file.flush()
        let during = try hdf5FolderContents(folder)
        XCTAssertEqual(during.count, 1)
        XCTAssertTrue(during[0].hasPrefix(".out.h5.tmp-"), "\(during)")
        try file.close()
        XCTAssertEqual(try hdf5FolderContents(folder), ["out.h5"])
        XCTAssertFalse(file.isOpen)
        try file.close() // a second close is a no-op
        XCTAssertThrowsError(try file.root.write("y", floats: [1])) { XCTAssertTrue("\($0)".contains("file is closed"), "\($0)") }
        XCTAssertEqual(try HDF5File.openReadOnly(path).root.dataset("x").readFloat32(), [1, 2, 3])
    }

    func testAbandonedWriterLeavesNothingOrTheOldFile() throws {
        let folder = try hdf5TestFolder(self)
        let path = folder.appendingPathComponent("out.h5").path
        do {
            let file = try HDF5File.create(path)
            try file.root.write("x", floats: [1])
        } // deinit without close
        XCTAssertEqual(try hdf5FolderContents(folder), [])

        let old = try HDF5File.create(path)
        try old.root.write("x", floats: [1])
        try old.close()
        let replacement = try HDF5File.create(path)
        try replacement.root.write("x", floats: [2])
        replacement.discard()
        XCTAssertEqual(try hdf5FolderContents(folder), ["out.h5"])
        XCTAssertEqual(try HDF5File.openReadOnly(path).root.dataset("x").readFloat32(), [1])

        let newer = try HDF5File.create(path)
        try newer.root.write("x", floats: [3])
        try newer.close()
        XCTAssertEqual(try HDF5File.openReadOnly(path).root.dataset("x").readFloat32(), [3])
    }

    func testAppendAcrossCloseAndReopen() throws {
        let folder = try hdf5TestFolder(self)
        let path = folder.appendingPathComponent("resume.h5").path
        let first = try HDF5File.openForAppend(path) // created, empty
        XCTAssertEqual(try hdf5FolderContents(folder), ["resume.h5"])
        try first.root.setAttribute("layout_version", 1)
        try first.root.createExtendible("mean", .float32, columns: 2).append(rows: [1, 2, 3, 4])
        try first.root.createExtendible("ids", .string).append(["s1", "s2"])
        try first.flush()
        try first.close()

        let second = try HDF5File.openForAppend(path)
        XCTAssertEqual(try second.root.intAttribute("layout_version"), 1)
        let ids = try second.root.dataset("ids")
        let done = Set(try ids.readStrings())
        let todo = ["s1", "s2", "s3"].filter { !done.contains($0) }
        XCTAssertEqual(todo, ["s3"])
        XCTAssertEqual(try second.root.dataset("mean").shape(), [2, 2])
        try second.root.dataset("mean").append(rows: [5, 6])
        try ids.append(todo)
        try second.close()

        let read = try HDF5File.openReadOnly(path).root
        XCTAssertEqual(try read.dataset("ids").readStrings(), ["s1", "s2", "s3"])
        XCTAssertEqual(try read.dataset("mean").readFloat32(), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try hdf5FolderContents(folder), ["resume.h5"])
    }

    func testFailuresNameFileAndObject() throws {
        let folder = try hdf5TestFolder(self)
        let path = folder.appendingPathComponent("f.h5").path
        let file = try HDF5File.create(path)
        try file.root.write("mean", floats: [1, 2], shape: [1, 2])
        XCTAssertThrowsError(try file.root.write("mean", floats: [1])) { error in
            let e = error as! HDF5Error
            XCTAssertEqual(e.file, path)
            XCTAssertEqual(e.object, "/mean")
            XCTAssertTrue(e.description.hasPrefix("\(path): /mean: cannot create dataset"), e.description)
        }
        XCTAssertThrowsError(try file.root.write("bad", floats: [1, 2, 3], shape: [2, 2])) {
            XCTAssertTrue("\($0)".contains("3 values for shape [2, 2]"), "\($0)")
        }
        XCTAssertThrowsError(try file.root.write("nul", strings: ["a\u{0}b"]))
        XCTAssertThrowsError(try file.root.dataset("missing/x")) { error in
            XCTAssertEqual((error as! HDF5Error).object, "/missing/x")
        }
        try file.close()

        let readOnly = try HDF5File.openReadOnly(path)
        XCTAssertThrowsError(try readOnly.root.write("more", floats: [1])) {
            XCTAssertTrue("\($0)".hasPrefix("\(path): /more:"), "\($0)")
        }
        XCTAssertThrowsError(try readOnly.root.dataset("mean").readStrings()) {
            XCTAssertTrue("\($0)".contains("does not hold strings"), "\($0)")
        }

        let text = folder.appendingPathComponent("text.h5").path
        try Data("not hdf5\n".utf8).write(to: URL(fileURLWithPath: text))
        XCTAssertThrowsError(try HDF5File.openReadOnly(text)) { XCTAssertEqual("\($0)", "\(text): /: not an HDF5 file") }
        XCTAssertThrowsError(try HDF5File.openForAppend(text))
        let missing = folder.appendingPathComponent("none.h5").path
        XCTAssertThrowsError(try HDF5File.openReadOnly(missing)) { XCTAssertEqual("\($0)", "\(missing): /: no such file") }
        XCTAssertThrowsError(try HDF5File.create(folder.appendingPathComponent("no/such/dir.h5").path))
    }

    func testConcurrentWritersAreSerialised() throws {
        let folder = try hdf5TestFolder(self)
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let path = folder.appendingPathComponent("c\(i).h5").path
            let file = try! HDF5File.create(path)
            let rows = try! file.root.createExtendible("rows", .float32, columns: 4)
            for r in 0..<50 { try! rows.append(rows: [Float](repeating: Float(r + i), count: 4)) }
            try! file.close()
        }
        for i in 0..<4 {
            let read = try HDF5File.openReadOnly(folder.appendingPathComponent("c\(i).h5").path).root
            XCTAssertEqual(try read.dataset("rows").readFloat32(), (0..<50).flatMap { [Float](repeating: Float($0 + i), count: 4) })
        }
    }
}
