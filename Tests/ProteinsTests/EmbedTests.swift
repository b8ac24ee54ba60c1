import Foundation
import Proteins
import SequoiaKit
import SequoiaModels
import SequoiaTensor
import XCTest

/// A random BiMamba-S small enough for debug builds.
func tinyModel(dModel: Int = 16, layers: Int = 1, seed: UInt64 = 7) throws -> BiMambaLanguageModel {
    var rng = RandomGenerator(seed: seed)
    var config = LcPlmConfig(dModel: dModel, nLayer: layers, vocabSize: 33)
    config.maskTokenId = 32
    return try BiMambaLanguageModel(config, rng: &rng)
}

/// A random protein of `length` standard residues.
func randomProtein(_ length: Int, seed: UInt64) -> String {
    var rng = RandomGenerator(seed: seed)
    let letters = Array("ACDEFGHIKLMNPQRSTVWY")
    return String((0..<length).map { _ in letters[rng.nextInt(letters.count)] })
}

/// The ids, accessions and /mean rows of an embeddings file, and the open file.
func readEmbeddings(_ path: String) throws -> (ids: [String], accessions: [String], mean: [Float], file: HDF5File) {
    let file = try HDF5File.openReadOnly(path)
    return (try file.root.dataset("ids").readStrings(), try file.root.dataset("accessions").readStrings(),
            try file.root.dataset("mean").readFloat32(), file)
}

final class EmbedTests: XCTestCase {
    func fasta(_ proteins: [(String, String)], in folder: URL, _ name: String = "p.fasta") throws -> String {
        try writeText(proteins.map { ">\($0.0) test\n\($0.1)\n" }.joined(), name, in: folder)
    }

    func testEmbeddingIsTheSameAloneAndInABatch() throws {
        let folder = try proteinTestFolder()
        let model = try tinyModel(layers: 2)
        let proteins = [("sp|P1|A_HUMAN", randomProtein(41, seed: 1)), ("short", randomProtein(3, seed: 2)),
                        ("long", randomProtein(97, seed: 3)), ("mid", randomProtein(20, seed: 4))]
        let input = try fasta(proteins, in: folder)
        var alone = ProteinEmbedder(backbone: model.backbone, modelPath: "tiny")
        alone.maxTokens = 1
        var together = ProteinEmbedder(backbone: model.backbone, modelPath: "tiny")
        together.maxTokens = 10_000
        for layer in [nil, 0] as [Int?] {
            alone.layer = layer
            together.layer = layer
            let a = folder.appendingPathComponent("alone\(layer ?? -1).h5").path
            let b = folder.appendingPathComponent("together\(layer ?? -1).h5").path
            try alone.embed(fasta: input, to: a, perResidue: true, showsProgress: false)
            try together.embed(fasta: input, to: b, perResidue: true, showsProgress: false)
            let (x, y) = (try readEmbeddings(a), try readEmbeddings(b))
            XCTAssertEqual(Set(x.ids), Set(proteins.map(\.0)))
            XCTAssertEqual(x.mean.count, 4 * 16)
            for (i, id) in x.ids.enumerated() {
                let j = try XCTUnwrap(y.ids.firstIndex(of: id))
                for c in 0..<16 { XCTAssertEqual(x.mean[i * 16 + c], y.mean[j * 16 + c], accuracy: 1e-6, id) }
                let p = try x.file.root.dataset("per_residue/\(id)").readFloat32()
                let q = try y.file.root.dataset("per_residue/\(id)").readFloat32()
                XCTAssertEqual(p.count, proteins.first { $0.0 == id }!.1.count * 16)
                for k in p.indices { XCTAssertEqual(p[k], q[k], accuracy: 1e-6, id) }
                // /mean is the mean of /per_residue.
                let rows = p.count / 16
                for c in 0..<16 {
                    let m = (0..<rows).reduce(0.0) { $0 + Double(p[$1 * 16 + c]) } / Double(rows)
                    XCTAssertEqual(Double(x.mean[i * 16 + c]), m, accuracy: 1e-5)
                }
            }
            XCTAssertEqual(x.accessions[x.ids.firstIndex(of: "sp|P1|A_HUMAN")!], "P1")
            XCTAssertEqual(x.accessions[x.ids.firstIndex(of: "short")!], "")
            XCTAssertEqual(try x.file.root.intAttribute("layer"), layer ?? 2)
        }
    }

    func testTitinSizedProteinEmbedsWhole() throws {
        let folder = try proteinTestFolder()
        let input = try fasta([("titin", randomProtein(35_000, seed: 9))], in: folder)
        let out = folder.appendingPathComponent("titin.h5").path
        var embedder = ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
        embedder.maxTokens = 1_024
        let result = try embedder.embed(fasta: input, to: out, perResidue: true, showsProgress: false)
        XCTAssertEqual(result.embedded, 1)
        let (ids, _, mean, file) = try readEmbeddings(out)
        XCTAssertEqual(ids, ["titin"])
        XCTAssertEqual(try file.root.dataset("mean").shape(), [1, 16])
        XCTAssertEqual(try file.root.dataset("per_residue/titin").shape(), [35_000, 16])
        XCTAssertTrue(mean.allSatisfy(\.isFinite))
    }

    func testRerunSkipsWrittenIdsAndKeepsThem() throws {
        let folder = try proteinTestFolder()
        let model = try tinyModel()
        let first = (0..<3).map { ("p\($0)", randomProtein(10 + $0, seed: UInt64($0))) }
        let more = first + (3..<5).map { ("p\($0)", randomProtein(10 + $0, seed: UInt64($0))) }
        let out = folder.appendingPathComponent("e.h5").path
        let embedder = ProteinEmbedder(backbone: model.backbone, modelPath: "tiny")
        XCTAssertEqual(try embedder.embed(fasta: try fasta(first, in: folder, "a.fa"), to: out, perResidue: false, showsProgress: false).embedded, 3)
        let before = try readEmbeddings(out)
        try before.file.close()
        let result = try embedder.embed(fasta: try fasta(more, in: folder, "b.fa"), to: out, perResidue: false, showsProgress: false)
        XCTAssertEqual(result.embedded, 2)
        XCTAssertEqual(result.skipped, 3)
        let after = try readEmbeddings(out)
        XCTAssertEqual(after.ids.count, 5)
        XCTAssertEqual(Set(after.ids), Set(more.map(\.0)))
        XCTAssertEqual(Array(after.mean.prefix(before.mean.count)), before.mean)
        try after.file.close()
        XCTAssertEqual(try embedder.embed(fasta: try fasta(more, in: folder, "c.fa"), to: out, perResidue: false, showsProgress: false).embedded, 0)
    }

    func testBadInputsAreOneLineErrorsAndLeaveFilesAlone() throws {
        let folder = try proteinTestFolder()
        let input = try fasta([("a", "MKV"), ("b", "MKL")], in: folder)
        let out = folder.appendingPathComponent("e.h5").path
        try ProteinEmbedder(backbone: try tinyModel(dModel: 16).backbone, modelPath: "tiny").embed(fasta: input, to: out, perResidue: false, showsProgress: false)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))

        func expectError(_ contains: String, _ body: () throws -> Void) {
            XCTAssertThrowsError(try body()) { error in
                XCTAssertTrue("\(error)".contains(contains), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"), "\(error)")
            }
        }
        expectError("existing file has d_model 16 where this run needs 8") {
            try ProteinEmbedder(backbone: try tinyModel(dModel: 8).backbone, modelPath: "other").embed(fasta: input, to: out, perResidue: false, showsProgress: false)
        }
        expectError("existing file has per_residue 0 where this run needs 1") {
            try ProteinEmbedder(backbone: try tinyModel(dModel: 16).backbone, modelPath: "tiny").embed(fasta: input, to: out, perResidue: true, showsProgress: false)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), bytes)

        let notHDF5 = try writeText("hello", "not.h5", in: folder)
        expectError("is not a readable HDF5 file") {
            try ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny").embed(fasta: input, to: notHDF5, perResidue: false, showsProgress: false)
        }
        XCTAssertEqual(try String(contentsOfFile: notHDF5, encoding: .utf8), "hello")

        let fresh = folder.appendingPathComponent("fresh.h5").path
        expectError("record 'b': invalid character 'J'") {
            try ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
                .embed(fasta: try fasta([("a", "MKV"), ("b", "MJ")], in: folder, "bad.fa"), to: fresh, perResidue: false, showsProgress: false)
        }
        expectError("duplicate record name") {
            try ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
                .embed(fasta: try fasta([("a", "MKV"), ("a", "MK")], in: folder, "dup.fa"), to: fresh, perResidue: false, showsProgress: false)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh), "a bad FASTA must not leave an output behind")
        var deep = ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
        deep.layer = 2
        expectError("--layer 2 is out of range") { try deep.embed(fasta: input, to: fresh, perResidue: false, showsProgress: false) }
    }

    func testH5pyReadsTheFile() throws {
        let python = "/usr/bin/python3"
        guard FileManager.default.isExecutableFile(atPath: python) else { throw XCTSkip("\(python) not found") }
        let folder = try proteinTestFolder()
        let out = folder.appendingPathComponent("e.h5").path
        let input = try fasta([("sp|Q9|X_HUMAN", randomProtein(12, seed: 1)), ("plain", randomProtein(5, seed: 2))], in: folder)
        try ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny").embed(fasta: input, to: out, perResidue: true, showsProgress: false)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], "r")
            ids = [s.decode() if isinstance(s, bytes) else s for s in f["ids"][:]]
            acc = [s.decode() if isinstance(s, bytes) else s for s in f["accessions"][:]]
            print(json.dumps({"ids": ids, "acc": acc, "mean": list(f["mean"].shape),
                              "per": {k: list(v.shape) for k, v in f["per_residue"].items()},
                              "d": int(f.attrs["d_model"]), "v": int(f.attrs["layout_version"]),
                              "layer": int(f.attrs["layer"]), "model": str(f.attrs["model"])}, sort_keys=True))
            """, out]
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let output = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if errors.contains("No module named") { throw XCTSkip("h5py is not importable by \(python)") }
        XCTAssertEqual(process.terminationStatus, 0, errors)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), """
            {"acc": ["", "Q9"], "d": 16, "ids": ["plain", "sp|Q9|X_HUMAN"], "layer": 1, "mean": [2, 16], "model": "tiny", "per": {"plain": [5, 16], "sp|Q9|X_HUMAN": [12, 16]}, "v": 1}
            """)
    }

    func testJobFromTheCommandLine() throws {
        let folder = try proteinTestFolder()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let config = try Data(contentsOf: root.appendingPathComponent("configs/proteins/lcplm-small.json"))
        let modelFolder = folder.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        try config.write(to: modelFolder.appendingPathComponent("config.json"))
        let model = try ModelRegistry.shared.build(config: config)
        try XCTUnwrap(model as? BiMambaLanguageModel).save(safetensors: modelFolder.appendingPathComponent("model.safetensors"))
        let input = try fasta([("sp|P1|A", randomProtein(30, seed: 1)), ("b", randomProtein(8, seed: 2))], in: folder)
        let out = folder.appendingPathComponent("e.h5").path
        func run(_ arguments: [String]) throws {
            try embedJob.run(ParsedOptions(arguments, options: embedJob.options, command: "proteins embed"))
        }
        try run(["--model", modelFolder.path, "--fasta", input, "--out", out, "--layer", "2", "--max-tokens", "64"])
        let file = try HDF5File.openReadOnly(out)
        XCTAssertEqual(try file.root.dataset("mean").shape(), [2, 128])
        XCTAssertEqual(try file.root.intAttribute("layer"), 2)
        XCTAssertEqual(try file.root.intAttribute("d_model"), 128)
        try file.close()

        let fixture = root.appendingPathComponent("Tests/Fixtures/bimamba_s").path
        XCTAssertThrowsError(try run(["--model", fixture, "--fasta", input, "--out", folder.appendingPathComponent("f.h5").path])) {
            XCTAssertTrue("\($0)".contains("fewer than the 33 of the ESM-2 protein vocabulary"), "\($0)")
        }
        XCTAssertThrowsError(try run(["--model", modelFolder.path, "--fasta", input, "--out", out, "--max-tokens", "0"])) {
            XCTAssertTrue("\($0)".contains("--max-tokens must be at least 1"), "\($0)")
        }
        XCTAssertThrowsError(try run(["--model", modelFolder.path, "--fasta", folder.appendingPathComponent("none.fa").path, "--out", folder.appendingPathComponent("g.h5").path])) {
            XCTAssertTrue("\($0)".contains("none.fa: cannot open"), "\($0)")
        }
    }

    /// Parameters of a BiMamba-S with in_proj/out_proj shared between directions and an untied lm_head.
    func parameterCount(_ c: LcPlmConfig) -> Int {
        let (d, di, n, r, k) = (c.dModel, c.mixer.intermediateSize, c.mixer.stateSize, c.mixer.timeStepRank, c.mixer.convKernel)
        let shared = d * 2 * di + di * d
        let perDirection = di * k + di + di * (r + 2 * n) + r * di + di + di * n + di
        let layer = d + shared + 2 * perDirection
        return 2 * c.vocabularySize * d + c.nLayer * layer + d
    }

    func testConfigsBuild() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../configs/proteins").standardized
        let small = try Data(contentsOf: root.appendingPathComponent("lcplm-small.json"))
        let model = try ModelRegistry.shared.build(config: small)
        let bimamba = try XCTUnwrap(model as? BiMambaLanguageModel)
        XCTAssertEqual(bimamba.config.dModel, 128)
        XCTAssertEqual(bimamba.config.nLayer, 4)
        XCTAssertEqual(bimamba.config.vocabularySize, 40)
        XCTAssertEqual(bimamba.config.mixer.stateSize, 16)
        XCTAssertEqual(bimamba.config.mixer.intermediateSize, 256)
        XCTAssertEqual(bimamba.maskTokenId, Int(ProteinTokenizer.mask))
        XCTAssertEqual(bimamba.parameterCount, parameterCount(bimamba.config))

        // The published size decodes to the same shapes; built only on paper (about 3 GB of float32).
        let large = try Data(contentsOf: root.appendingPathComponent("lcplm-1.4b.json"))
        XCTAssertEqual(try ModelRegistry.shared.architecture(forConfig: large).name, "bimamba-s")
        let config = try decodeConfig(LcPlmConfig.self, from: large)
        XCTAssertEqual(config.dModel, 1536)
        XCTAssertEqual(config.nLayer, 48)
        XCTAssertEqual(config.vocabularySize, 40)
        XCTAssertEqual(config.mixer.intermediateSize, 3072)
        XCTAssertEqual(config.mixer.timeStepRank, 96)
        XCTAssertEqual(config.maskTokenId, 32)
        print("lcplm-1.4b parameters: \(parameterCount(config))")
    }
}
