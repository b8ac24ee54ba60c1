import Foundation
import SequoiaKit
import SequoiaTensor
import XCTest

/// Files we write read back in h5py, and files h5py writes read back here.
final class HDF5PythonTests: XCTestCase {
    /// Runs `script` in /usr/bin/python3 with `arguments`; skips when python3 or h5py is missing.
    private func python(_ script: String, _ arguments: [String]) throws -> String {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("\(python) not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import h5py, numpy, json, sys\n" + script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if stderr.contains("No module named") || stderr.contains("ImportError") {
            throw XCTSkip("h5py is not importable by \(python) (apt-get install python3-h5py): \(stderr)")
        }
        XCTAssertEqual(process.terminationStatus, 0, stderr)
        return String(decoding: stdout, as: UTF8.self)
    }

    func testH5pyReadsOurEmbeddingLayout() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("embed.h5").path
        let ids = ["chrI:0-1000", "Säure-β/日本"]
        let file = try HDF5File.create(path)
        try file.root.setAttribute("layout_version", 1)
        try file.root.setAttribute("model", "models/hyena-tiny")
        try file.root.setAttribute("learning_rate", 6e-4)
        try file.root.createExtendible("ids", .string).append(ids)
        let mean = try file.root.createExtendible("mean", .float32, columns: 3)
        try mean.append(rows: [0.5, -1, 2, 3, 4, 5e-20])
        try mean.setAttribute("d_model", 3)
        let perResidue = try file.root.createGroup("per_residue")
        try perResidue.write(ids[0], Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        try perResidue.write("big", floats: [Float](repeating: 0.25, count: 300_000), shape: [100_000, 3])
        try file.root.write("lengths", int64s: [1000, -7])
        try file.close()

        let script = """
        f = h5py.File(sys.argv[1], 'r')
        def attr(v): return v.decode() if isinstance(v, bytes) else (v.item() if hasattr(v, 'item') else v)
        print(json.dumps({
            'ids': list(f['ids'].asstr()[()]),
            'mean': f['mean'][()].astype(float).tolist(),
            'maxshape': [-1 if d is None else d for d in f['mean'].maxshape],
            'dtype': str(f['mean'].dtype),
            'mean_attrs': {k: attr(v) for k, v in f['mean'].attrs.items()},
            'attrs': {k: attr(v) for k, v in f.attrs.items()},
            'first': f['per_residue'][sys.argv[2]][()].tolist(),
            'big': [list(f['per_residue/big'].shape), f['per_residue/big'].compression, float(f['per_residue/big'][()].sum())],
            'members': sorted(f['per_residue'].keys()),
            'lengths': [str(f['lengths'].dtype)] + f['lengths'][()].tolist(),
        }))
        """
        let output = try python(script, [path, ids[0]])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], output)
        XCTAssertEqual(json["ids"] as? [String], ids)
        // Compared as Float32: Foundation's JSON parser may be off in a Double's last digit.
        XCTAssertEqual((json["mean"] as? [[Double]])?.map { $0.map(Float.init) }, [[0.5, -1, 2], [3, 4, 5e-20]])
        XCTAssertEqual(json["maxshape"] as? [Int], [-1, 3])
        XCTAssertEqual(json["dtype"] as? String, "float32")
        XCTAssertEqual(json["mean_attrs"] as? [String: Int], ["d_model": 3])
        let attrs = try XCTUnwrap(json["attrs"] as? [String: Any])
        XCTAssertEqual(attrs["layout_version"] as? Int, 1)
        XCTAssertEqual(attrs["model"] as? String, "models/hyena-tiny")
        XCTAssertEqual(attrs["learning_rate"] as? Double, 6e-4)
        XCTAssertEqual(json["first"] as? [[Double]], [[1, 2, 3], [4, 5, 6]])
        let big = try XCTUnwrap(json["big"] as? [Any])
        XCTAssertEqual(big[0] as? [Int], [100_000, 3])
        XCTAssertEqual(big[1] as? String, "gzip")
        XCTAssertEqual(big[2] as? Double, 75_000)
        XCTAssertEqual(json["members"] as? [String], ["big", ids[0]])
        XCTAssertEqual(json["lengths"] as? [AnyHashable], ["int64", 1000, -7])
    }

    func testWeReadWhatH5pyWrites() throws {
        let path = try hdf5TestFolder(self).appendingPathComponent("py.h5").path
        let script = """
        with h5py.File(sys.argv[1], 'w') as f:
            f.attrs['name'] = 'héllo'
            f.attrs['n'] = numpy.int32(12)
            f.attrs['x'] = 2.5
            f['fixed'] = numpy.array([b'ab', b'c', b'defg'], dtype='S4')
            f.create_dataset('vlen', data=['α', 'b'], dtype=h5py.string_dtype())
            f['f64'] = numpy.arange(6, dtype='float64').reshape(2, 3) / 4
            f['i32'] = numpy.array([-3, 9], dtype='int32')
            f.create_group('g/h')
        """
        _ = try python(script, [path])
        let root = try HDF5File.openReadOnly(path).root
        XCTAssertEqual(try root.stringAttribute("name"), "héllo")
        XCTAssertEqual(try root.intAttribute("n"), 12)
        XCTAssertEqual(try root.doubleAttribute("x"), 2.5)
        XCTAssertEqual(try root.dataset("fixed").readStrings(), ["ab", "c", "defg"])
        XCTAssertEqual(try root.dataset("vlen").readStrings(), ["α", "b"])
        XCTAssertEqual(try root.dataset("f64").shape(), [2, 3])
        XCTAssertEqual(try root.dataset("f64").readFloat32(), [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertEqual(try root.dataset("i32").readInt64(), [-3, 9])
        XCTAssertEqual(try root.names(), ["f64", "fixed", "g", "i32", "vlen"])
        XCTAssertEqual(try root.group("g").names(), ["h"])
    }
}
