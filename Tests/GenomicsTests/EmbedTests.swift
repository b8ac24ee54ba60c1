import Foundation
import Genomics
import SequoiaKit
import SequoiaModels
import SequoiaNN
import XCTest

final class EmbedTests: XCTestCase {
    private static let genome = ">chr1 first\nACGTACGTTTGACCANNACGTAGGCTAGCTAGGATCGATCGGGATCCA\n>chr2\nacgtacgtacgtTTTTGGGGCCCCAAAA\n"

    /// A random tiny Hyena saved as a model folder (max_seq_len 40, so chr1's 47 nt are too long).
    private func modelFolder(in dir: String) throws -> String {
        let folder = dir + "/model"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = FinetuneTests.tinyConfig.replacingOccurrences(of: #""max_seq_len":64"#, with: #""max_seq_len":40"#)
        try TestFiles.write(config, "config.json", in: folder)
        try ModelRegistry.shared.build(config: Data(config.utf8), seed: 4)
            .save(safetensors: URL(fileURLWithPath: folder + "/model.safetensors"))
        return folder
    }

    private func run(_ arguments: [String]) throws { try runJob(embedJob, arguments) }

    private func failure(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
        jobFailure(embedJob, arguments, file: file, line: line)
    }

    func testEmbeddingsReadBackWithH5py() throws {
        let dir = try TestFiles.scratch(self)
        let model = try modelFolder(in: dir)
        let fasta = try TestFiles.write(Self.genome, "genome.fa", in: dir)
        let bed = try TestFiles.write("chr1\t0\t30\tpromoter\nchr2\t4\t28\nchr1\t10\t13\tshort\n", "regions.bed", in: dir)
        let out = dir + "/emb.h5"
        try run(["--model", model, "--fasta", fasta, "--regions", bed, "--out", out, "--per-position"])

        let file = try HDF5File.openReadOnly(out)
        XCTAssertEqual(try file.root.dataset("ids").readStrings(), ["promoter", "chr2:4-28", "short"])
        XCTAssertEqual(try file.root.dataset("mean").shape(), [3, 16])
        XCTAssertEqual(try file.root.intAttribute("d_model"), 16)
        XCTAssertEqual(try file.root.intAttribute("layout_version"), 1)
        XCTAssertEqual(try file.root.stringAttribute("model"), model)
        let means = try file.root.dataset("mean").readFloat32()
        try file.close()

        // One region per forward pass gives the same numbers as the default batching.
        let single = dir + "/single.h5"
        try run(["--model", model, "--fasta", fasta, "--regions", bed, "--out", single, "--batch-length", "1"])
        let alone = try HDF5File.openReadOnly(single)
        for (a, b) in zip(try alone.root.dataset("mean").readFloat32(), means) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        XCTAssertFalse(try alone.root.contains("per_position"))
        try alone.close()

        let script = """
        import sys
        try:
            import h5py, numpy as np
        except Exception as e:
            print("SKIP", e); sys.exit(0)
        f = h5py.File(sys.argv[1], "r")
        ids = [s.decode() if isinstance(s, bytes) else s for s in f["ids"][()]]
        assert ids == ["promoter", "chr2:4-28", "short"], ids
        assert f["mean"].shape == (3, 16) and f["mean"].dtype == np.float32
        for i, (name, length) in enumerate(zip(ids, [30, 24, 3])):
            p = f["per_position"][name]
            assert p.shape == (length, 16), (name, p.shape)
            assert np.allclose(p[()].mean(axis=0), f["mean"][i], atol=1e-5), name
        assert f.attrs["d_model"] == 16 and f.attrs["layout_version"] == 1
        print("OK")
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, out]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { throw XCTSkip("no /usr/bin/python3: \(error)") }
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if output.hasPrefix("SKIP") { throw XCTSkip("h5py is not importable: \(output)") }
        XCTAssertEqual(process.terminationStatus, 0, output)
        XCTAssertEqual(output, "OK\n")
    }

    func testWholeRecordsWithoutABed() throws {
        let dir = try TestFiles.scratch(self)
        let model = try modelFolder(in: dir)
        let fasta = try TestFiles.write(">only\nACGTTGCA\n>other\nGGGGCCCCAT\n", "small.fa", in: dir)
        let out = dir + "/whole.h5"
        try run(["--model", model, "--fasta", fasta, "--out", out])
        let file = try HDF5File.openReadOnly(out)
        XCTAssertEqual(try file.root.dataset("ids").readStrings(), ["only:0-8", "other:0-10"])
        XCTAssertEqual(try file.root.dataset("mean").shape(), [2, 16])
    }

    func testBadInputsFailWithOneLineAndWriteNothing() throws {
        let dir = try TestFiles.scratch(self)
        let model = try modelFolder(in: dir)
        let fasta = try TestFiles.write(Self.genome, "genome.fa", in: dir)
        let out = dir + "/out.h5"
        func args(_ bed: String) -> [String] { ["--model", model, "--fasta", fasta, "--regions", bed, "--out", out] }

        let unknown = try TestFiles.write("chr1\t0\t10\nchr9\t0\t10\n", "unknown.bed", in: dir)
        XCTAssertTrue(failure(args(unknown)).contains("unknown.bed line 2: unknown record 'chr9'"))
        let beyond = try TestFiles.write("chr2\t0\t29\n", "beyond.bed", in: dir)
        XCTAssertTrue(failure(args(beyond)).contains("beyond.bed line 1: record 'chr2': end 29 is beyond the record (length 28)"))
        let long = try TestFiles.write("chr2\t0\t20\tfine\nchr1\t0\t47\twhole\n", "long.bed", in: dir)
        XCTAssertTrue(failure(args(long)).contains("long.bed line 2: region 'whole' (47 nt) is longer than the model's maximum length 40"))
        XCTAssertTrue(failure(["--model", model, "--fasta", fasta, "--out", out]).contains("record 'chr1': region 'chr1:0-48' (48 nt) is longer"))
        let repeated = try TestFiles.write("chr2\t0\t20\tx\nchr2\t5\t9\tx\n", "repeat.bed", in: dir)
        XCTAssertTrue(failure(args(repeated) + ["--per-position"]).contains("repeat.bed line 2: id 'x' repeats "))
        XCTAssertTrue(failure(args(repeated).map { $0 == model ? dir + "/nothing" : $0 }).contains("cannot read the model config"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".h5") || $0.contains(".tmp") }, [])

        try TestFiles.write("old", "out.h5", in: dir)
        XCTAssertTrue(failure(args(repeated)).contains("out.h5: already exists"))
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "old")
    }
}
