import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

/// Every malformed file is rejected with a typed error naming the file, never a crash.
final class SafeTensorsMalformedTests: TemporaryFolderTestCase {
    private func entry(_ name: String, _ dtype: String = "F32", shape: String = "[2]", offsets: String = "[0,8]") -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    private func assertRejected(_ bytes: [UInt8], _ expected: (SafeTensorsError.Problem) -> Bool,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let url = try self.file(bytes)
        XCTAssertThrowsError(try SafeTensors(contentsOf: url), file: file, line: line) { error in
            guard let e = error as? SafeTensorsError else { return XCTFail("untyped error \(error)", file: file, line: line) }
            XCTAssertTrue(expected(e.problem), "unexpected problem \(e.problem)", file: file, line: line)
            XCTAssertEqual(e.path, url.path, file: file, line: line)
            XCTAssertTrue(e.description.contains(url.path), e.description, file: file, line: line)
        }
    }

    func testFileShorterThanEightBytes() throws {
        try assertRejected([], { $0 == .fileTooSmall(size: 0) })
        try assertRejected([1, 2, 3], { $0 == .fileTooSmall(size: 3) })
    }

    func testHeaderLengthPastEnd() throws {
        try assertRejected(safetensorsBytes(header: "{}", declaredLength: 3), {
            $0 == .headerPastEnd(headerLength: 3, fileSize: 10)
        })
        try assertRejected(safetensorsBytes(header: "{}", declaredLength: UInt64.max), {
            if case .headerPastEnd = $0 { return true } else { return false }
        })
    }

    func testInvalidJSON() throws {
        try assertRejected(safetensorsBytes(header: "{\"a\": [1, 2"), {
            if case .invalidJSON = $0 { return true } else { return false }
        })
        try assertRejected(safetensorsBytes(header: "\u{FF}\u{FE}"), {
            if case .invalidJSON = $0 { return true } else { return false }
        })
    }

    func testHeaderNotAnObject() throws {
        try assertRejected(safetensorsBytes(header: "[1, 2, 3]"), { $0 == .headerNotObject })
        try assertRejected(safetensorsBytes(header: "42"), { $0 == .headerNotObject })
    }

    func testBadEntriesAndMetadata() throws {
        try assertRejected(safetensorsBytes(header: "{\"a\": 5}"), {
            if case .invalidEntry(name: "a", _) = $0 { return true } else { return false }
        })
        try assertRejected(safetensorsBytes(header: "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", data: [0, 0, 0, 0]), {
            if case .invalidEntry(name: "a", _) = $0 { return true } else { return false }
        })
        try assertRejected(safetensorsBytes(header: "{\"__metadata__\":{\"k\":3}}"), {
            if case .invalidMetadata = $0 { return true } else { return false }
        })
        try assertRejected(safetensorsBytes(header: "{\"__metadata__\":[]}"), {
            if case .invalidMetadata = $0 { return true } else { return false }
        })
    }

    func testUnknownDType() throws {
        try assertRejected(safetensorsBytes(header: "{\(entry("w", "F12"))}", data: .init(repeating: 0, count: 8)), {
            $0 == .unknownDType(name: "w", dtype: "F12")
        })
    }

    func testBadShapes() throws {
        for shape in ["[-2]", "[1.5]", "[\"2\"]", "[true]", "5", "[null]"] {
            try assertRejected(safetensorsBytes(header: "{\(entry("w", shape: shape))}", data: .init(repeating: 0, count: 8)), {
                $0 == .invalidShape(name: "w")
            })
        }
    }

    func testOffsetsOutOfRange() throws {
        try assertRejected(safetensorsBytes(header: "{\(entry("w", offsets: "[0,8]"))}", data: [0, 0, 0, 0]), {
            $0 == .offsetsOutOfRange(name: "w", end: 8, dataSize: 4)
        })
    }

    func testMalformedOffsets() throws {
        try assertRejected(safetensorsBytes(header: "{\(entry("w", offsets: "[8,0]"))}", data: .init(repeating: 0, count: 8)), {
            if case .invalidOffsets(name: "w", _) = $0 { return true } else { return false }
        })
        for offsets in ["[0]", "[0,8,9]", "[-8,0]", "[0,8.5]", "\"0,8\""] {
            try assertRejected(safetensorsBytes(header: "{\(entry("w", offsets: offsets))}", data: .init(repeating: 0, count: 9)), {
                if case .invalidOffsets(name: "w", _) = $0 { return true } else { return false }
            })
        }
    }

    func testOverlappingTensors() throws {
        let header = "{\(entry("a", offsets: "[0,8]")),\(entry("b", offsets: "[4,12]"))}"
        try assertRejected(safetensorsBytes(header: header, data: .init(repeating: 0, count: 12)), {
            $0 == .overlappingTensors("a", "b")
        })
        // One tensor inside another, with a third after both.
        let nested = "{\(entry("big", shape: "[4]", offsets: "[0,16]")),\(entry("in", shape: "[1]", offsets: "[4,8]")),"
            + "\(entry("z", shape: "[1]", offsets: "[16,20]"))}"
        try assertRejected(safetensorsBytes(header: nested, data: .init(repeating: 0, count: 20)), {
            if case .overlappingTensors = $0 { return true } else { return false }
        })
    }

    func testByteCountMismatch() throws {
        try assertRejected(safetensorsBytes(header: "{\(entry("w", shape: "[3]", offsets: "[0,8]"))}", data: .init(repeating: 0, count: 8)), {
            $0 == .byteCountMismatch(name: "w", expected: 12, actual: 8)
        })
        // A shape whose byte count overflows Int is a mismatch, not a crash.
        let huge = "[\(Int.max), \(Int.max)]"
        try assertRejected(safetensorsBytes(header: "{\(entry("w", shape: huge, offsets: "[0,8]"))}", data: .init(repeating: 0, count: 8)), {
            if case .byteCountMismatch(name: "w", _, 8) = $0 { return true } else { return false }
        })
    }

    func testUnknownNameAndWrongKind() throws {
        let header = "{\(entry("w")),\(entry("ids", "I64", shape: "[1]", offsets: "[8,16]"))}"
        let data = [UInt8](repeating: 0, count: 8) + littleEndian([Int64(1) << 40])
        let url = try file(safetensorsBytes(header: header, data: data))
        let file = try SafeTensors(contentsOf: url)
        XCTAssertThrowsError(try file.tensor("nope")) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.problem, .tensorNotFound(name: "nope"))
            XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains("nope"))
        }
        XCTAssertThrowsError(try file.indices("nope"))
        XCTAssertThrowsError(try file.info("nope"))
        XCTAssertThrowsError(try file.indices("w")) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.problem,
                           .dtypeMismatch(name: "w", dtype: "F32", wanted: "an integer dtype"))
        }
        XCTAssertThrowsError(try file.indices("ids")) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.problem, .valueOutOfRange(name: "ids"))
        }
    }

    func testMissingFile() {
        let url = folder.appendingPathComponent("absent.safetensors")
        XCTAssertThrowsError(try SafeTensors(contentsOf: url)) { error in
            guard case .cannotOpen = (error as? SafeTensorsError)?.problem else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try SafeTensors(contentsOf: folder)) { error in
            guard case .cannotOpen = (error as? SafeTensorsError)?.problem else { return XCTFail("\(error)") }
        }
    }

    func testEmptyHeaderIsAValidEmptyFile() throws {
        let file = try SafeTensors(contentsOf: try file(safetensorsBytes(header: "{}")))
        XCTAssertEqual(file.names, [])
        XCTAssertEqual(file.metadata, [:])
    }
}
