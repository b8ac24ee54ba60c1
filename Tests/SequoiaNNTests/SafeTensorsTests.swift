import Foundation
import SequoiaNN
import SequoiaTensor
import XCTest

final class SafeTensorsTests: TemporaryFolderTestCase {
    func testWriterRoundTripsF32AndIndices() throws {
        var rng = RandomGenerator(seed: 5)
        let tensors: [String: Tensor] = [
            "model.layers.0.weight": Tensor.randn([2, 3], rng: &rng),
            "scalar": Tensor(2.5),
            "empty": Tensor.zeros([0, 4]),
            "a.bias": Tensor(shape: [4], scalars: [1, -0, .infinity, -1e-30]),
        ]
        let ids = IndexTensor(shape: [2, 2], scalars: [0, -100, Int32.max, Int32.min])
        let metadata = ["format": "pt", "note": "quote \" backslash \\ newline \n tab \t ünï €"]
        let url = folder.appendingPathComponent("model.safetensors")
        try SafeTensors.write(tensors, indices: ["input_ids": ids], metadata: metadata, to: url)

        let file = try SafeTensors(contentsOf: url)
        XCTAssertEqual(file.names, ["a.bias", "empty", "input_ids", "model.layers.0.weight", "scalar"])
        XCTAssertEqual(file.metadata, metadata)
        for (name, t) in tensors {
            XCTAssertEqual(try file.dtype(name), .F32)
            XCTAssertEqual(try file.shape(name), t.shape)
            let back = try file.tensor(name)
            XCTAssertEqual(back.shape, t.shape)
            XCTAssertEqual(back.scalars.map(\.bitPattern), t.scalars.map(\.bitPattern), name)
        }
        XCTAssertEqual(try file.dtype("input_ids"), .I64)
        XCTAssertEqual(try file.indices("input_ids"), ids)
        XCTAssertEqual(try file.tensor("input_ids").scalars, ids.scalars.map(Float.init))
    }

    func testWriterLayoutIsStandard() throws {
        let url = folder.appendingPathComponent("x.safetensors")
        try SafeTensors.write(["b": Tensor.ones([3]), "a": Tensor.zeros([2, 2])], metadata: ["k": "v"], to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        let n = Int(bytes[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(n % 8, 0)
        XCTAssertEqual(bytes.count, 8 + n + 16 + 12)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{"))
        XCTAssertEqual(header.trimmingCharacters(in: .whitespaces).last, "}")
        let json = try JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + n)])) as! [String: Any]
        let a = json["a"] as! [String: Any], b = json["b"] as! [String: Any]
        XCTAssertEqual(a["dtype"] as? String, "F32")
        XCTAssertEqual(a["shape"] as? [Int], [2, 2])
        XCTAssertEqual(a["data_offsets"] as? [Int], [0, 16])
        XCTAssertEqual(b["data_offsets"] as? [Int], [16, 28])
        XCTAssertEqual(json["__metadata__"] as? [String: String], ["k": "v"])
        // Sorted by name: "a" comes before "b" in the text too.
        XCTAssertLessThan(header.range(of: "\"a\"")!.lowerBound, header.range(of: "\"b\"")!.lowerBound)
        // F32 little-endian data: b's ones at the end.
        XCTAssertEqual(Array(bytes.suffix(4)), [0x00, 0x00, 0x80, 0x3F])
    }

    func testReadsEveryDTypeWrittenByHand() throws {
        var data: [UInt8] = []
        var entries: [String] = []
        func add(_ name: String, _ dtype: String, _ shape: [Int], _ bytes: [UInt8]) {
            entries.append("\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(data.count),\(data.count + bytes.count)]}")
            data += bytes
        }
        // Odd sizes first, so every later tensor starts at an unaligned address.
        add("mask", "BOOL", [3], [1, 0, 1])
        add("half", "F16", [2, 2], littleEndian([UInt16(0x3C00), 0xC000, 0x3800, 0x7BFF]))
        add("brain", "BF16", [3], littleEndian([UInt16(0x3F80), 0xC000, 0x4049]))
        add("ids64", "I64", [2], littleEndian([Int64(7), -3]))
        add("ids32", "I32", [2, 1], littleEndian([Int32(123_456), -1]))
        add("double", "F64", [1], littleEndian([Double(0.25).bitPattern]))
        add("bytes", "U8", [2], [200, 3])
        add("small", "I8", [1], [UInt8(bitPattern: -5)])
        add("short", "I16", [1], littleEndian([Int16(-300)]))
        let header = "{\"__metadata__\":{\"format\":\"pt\"}," + entries.joined(separator: ",") + "}"
        let file = try SafeTensors(contentsOf: try file(safetensorsBytes(header: header, data: data)))

        XCTAssertEqual(file.metadata, ["format": "pt"])
        XCTAssertEqual(file.names.count, 9)
        XCTAssertEqual(try file.tensor("half").scalars, [1, -2, 0.5, 65504])
        XCTAssertEqual(try file.tensor("half").shape, [2, 2])
        XCTAssertEqual(try file.tensor("brain").scalars, [1, -2, 3.140625])
        XCTAssertEqual(try file.indices("ids64"), IndexTensor(shape: [2], scalars: [7, -3]))
        XCTAssertEqual(try file.indices("ids32"), IndexTensor(shape: [2, 1], scalars: [123_456, -1]))
        XCTAssertEqual(try file.indices("mask"), IndexTensor(shape: [3], scalars: [1, 0, 1]))
        XCTAssertEqual(try file.tensor("mask").scalars, [1, 0, 1])
        XCTAssertEqual(try file.tensor("double").scalars, [0.25])
        XCTAssertEqual(try file.indices("bytes").scalars, [200, 3])
        XCTAssertEqual(try file.indices("small").scalars, [-5])
        XCTAssertEqual(try file.indices("short").scalars, [-300])
        XCTAssertEqual(try file.tensor("ids32").scalars, [123_456, -1])
        XCTAssertEqual(try file.dtype("brain"), .BF16)
        XCTAssertEqual(try file.info("ids64").dataOffsets, 17..<33)
    }

    func testAtomicWriteLeavesOnlyTheTarget() throws {
        let url = folder.appendingPathComponent("model.safetensors")
        try SafeTensors.write(["w": Tensor.ones([8])], to: url)
        XCTAssertEqual(try contents(), ["model.safetensors"])
        // Overwriting replaces the file whole.
        try SafeTensors.write(["v": Tensor.zeros([2])], to: url)
        XCTAssertEqual(try contents(), ["model.safetensors"])
        XCTAssertEqual(try SafeTensors(contentsOf: url).names, ["v"])
    }

    func testFailedWritesLeaveNothingBehind() throws {
        let missing = folder.appendingPathComponent("no/such/folder/m.safetensors")
        XCTAssertThrowsError(try SafeTensors.write(["w": Tensor.ones([1])], to: missing)) { error in
            guard case .writeFailed = (error as? SafeTensorsError)?.problem else { return XCTFail("\(error)") }
        }
        let url = folder.appendingPathComponent("m.safetensors")
        XCTAssertThrowsError(try SafeTensors.write(["w": Tensor.ones([1])], indices: ["w": IndexTensor(shape: [1], scalars: [1])],
                                                   to: url)) { error in
            XCTAssertEqual((error as? SafeTensorsError)?.problem, .duplicateName(name: "w"))
        }
        XCTAssertEqual(try contents(), [])
    }

    func testModuleSaveAndLoad() throws {
        var rng = RandomGenerator(seed: 1)
        let a = Linear(3, 2, rng: &rng), b = Linear(3, 2, rng: &rng)
        let url = folder.appendingPathComponent("linear.safetensors")
        try a.save(safetensors: url, metadata: ["step": "10"])
        XCTAssertEqual(try SafeTensors(contentsOf: url).metadata, ["step": "10"])
        let report = try b.load(safetensors: url)
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(b.weight.scalars, a.weight.scalars)
        XCTAssertEqual(b.bias!.scalars, a.bias!.scalars)
        XCTAssertThrowsError(try Linear(4, 2, rng: &rng).load(safetensors: url))
    }
}
