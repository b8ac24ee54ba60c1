import CHTSlib
import Foundation
import Proteins
import SequoiaKit
import SequoiaModels
import XCTest

/// `proteins embed --ids`: proteins fetched by faidx from a bgzip (or plain) FASTA.
final class FaidxEmbedTests: XCTestCase {
    /// Twelve proteins, half with UniProt ids, wrapped at 7 letters, some lower case, one ending in a stop.
    let proteins: [(id: String, residues: String)] = (0..<12).map { i in
        (i % 2 == 0 ? "sp|P0000\(i)|NAME\(i)_HUMAN" : "plain_\(i)", randomProtein(5 + (i * 37) % 80, seed: UInt64(i)))
    }

    func fastaText() -> String {
        proteins.enumerated().map { i, p in
            let letters = i == 3 ? p.residues.lowercased() : p.residues + (i == 4 ? "*" : "")
            let lines = stride(from: 0, to: letters.count, by: 7).map { start -> String in
                let a = letters.index(letters.startIndex, offsetBy: start)
                return String(letters[a..<(letters.index(a, offsetBy: 7, limitedBy: letters.endIndex) ?? letters.endIndex)])
            }
            return ">\(p.id) protein \(i)\n" + lines.joined(separator: "\n") + "\n"
        }.joined()
    }

    /// The /mean row of every id in an embeddings file.
    func rows(_ path: String) throws -> [String: [Float]] {
        let (ids, _, mean, file) = try readEmbeddings(path)
        try file.close()
        let d = mean.count / ids.count
        return Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, Array(mean[$0 * d..<($0 + 1) * d])) })
    }

    func assertRows(_ path: String, equal whole: [String: [Float]], file: StaticString = #filePath, line: UInt = #line) throws {
        for (id, row) in try rows(path) {
            let expected = try XCTUnwrap(whole[id], id, file: file, line: line)
            for c in row.indices { XCTAssertEqual(row[c], expected[c], accuracy: 1e-6, id, file: file, line: line) }
        }
    }

    func testIdsEmbedLikeTheWholeFileInTheListsOrder() throws {
        let folder = try proteinTestFolder()
        let plain = try writeText(fastaText(), "p.fasta", in: folder)
        let bgzip = try bgzipCopy(of: plain, to: folder.appendingPathComponent("p.fasta.gz").path)
        let ids = try writeText("# chosen proteins\n\nP00008\nplain_3   # lower case in the FASTA\n\n"
                                + "sp|P00004|NAME4_HUMAN\nplain_11\nNAME0_HUMAN\n", "ids.txt", in: folder)
        let listed = ["sp|P00008|NAME8_HUMAN", "plain_3", "sp|P00004|NAME4_HUMAN", "plain_11", "sp|P00000|NAME0_HUMAN"]
        let model = try tinyModel(layers: 2)
        let whole = folder.appendingPathComponent("whole.h5").path
        try ProteinEmbedder(backbone: model.backbone, modelPath: "tiny").embed(fasta: plain, to: whole, perResidue: false, showsProgress: false)
        let wholeRows = try rows(whole)
        XCTAssertEqual(wholeRows.count, 12)

        // One record a chunk: rows land in the ids file's order, not the FASTA's or by length.
        var oneByOne = ProteinEmbedder(backbone: model.backbone, modelPath: "tiny")
        oneByOne.chunkSize = 1
        let ordered = folder.appendingPathComponent("ordered.h5").path
        let result = try oneByOne.embed(fasta: bgzip, ids: ids, to: ordered, perResidue: false, showsProgress: false)
        XCTAssertEqual(result.embedded, 5)
        XCTAssertEqual(result.skipped, 0)
        let (got, accessions, _, file) = try readEmbeddings(ordered)
        try file.close()
        XCTAssertEqual(got, listed)
        XCTAssertEqual(accessions, ["P00008", "", "P00004", "", "P00000"])
        try assertRows(ordered, equal: wholeRows)
        XCTAssertTrue(FileManager.default.fileExists(atPath: bgzip + ".fai"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: bgzip + ".gzi"))

        // Default chunks from the plain file: the same proteins and values, batched by length.
        let batched = folder.appendingPathComponent("batched.h5").path
        try ProteinEmbedder(backbone: model.backbone, modelPath: "tiny").embed(fasta: plain, ids: ids, to: batched, perResidue: false, showsProgress: false)
        XCTAssertEqual(Set(try rows(batched).keys), Set(listed))
        try assertRows(batched, equal: wholeRows)
    }

    func testRerunSkipsListedIdsAlreadyWritten() throws {
        let folder = try proteinTestFolder()
        let bgzip = try bgzipCopy(of: try writeText(fastaText(), "p.fasta", in: folder), to: folder.appendingPathComponent("p.fa.gz").path)
        let out = folder.appendingPathComponent("e.h5").path
        let embedder = ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
        let first = try embedder.embed(fasta: bgzip, ids: try writeText("plain_1\nP00002\n", "a.txt", in: folder),
                                       to: out, perResidue: false, showsProgress: false)
        XCTAssertEqual(first.embedded, 2)
        let before = try rows(out)
        let second = try embedder.embed(fasta: bgzip, ids: try writeText("P00002\nplain_5\nplain_1\n", "b.txt", in: folder),
                                        to: out, perResidue: false, showsProgress: false)
        XCTAssertEqual(second.embedded, 1)
        XCTAssertEqual(second.skipped, 2)
        let after = try rows(out)
        XCTAssertEqual(Set(after.keys), ["plain_1", "sp|P00002|NAME2_HUMAN", "plain_5"])
        for (id, row) in before { XCTAssertEqual(after[id], row, id) }
    }

    func testBadIdsAndPlainGzipAreOneLineErrorsWritingNothing() throws {
        let folder = try proteinTestFolder()
        let fasta = try bgzipCopy(of: try writeText(fastaText(), "p.fasta", in: folder), to: folder.appendingPathComponent("p.fa.gz").path)
        let out = folder.appendingPathComponent("never.h5").path
        let embedder = ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
        func expectError(_ ids: String, _ fasta: String, _ expected: String, line: UInt = #line) throws {
            let list = try writeText(ids, "ids\(line).txt", in: folder)
            XCTAssertThrowsError(try embedder.embed(fasta: fasta, ids: list, to: out, perResidue: false, showsProgress: false),
                                 line: line) { error in
                let message = "\(error)".replacingOccurrences(of: list, with: "IDS")
                XCTAssertTrue(message.contains(expected), "\(message) lacks \(expected)", line: line)
                XCTAssertFalse(message.contains("\n"), message, line: line)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), line: line)
        }
        try expectError("P00000\n\n# next\nNOPE\n", fasta, "IDS line 4: id 'NOPE' is not in \(fasta)")
        try expectError("P00000\nsp|P00000|NAME0_HUMAN\n", fasta, "IDS line 2: 'sp|P00000|NAME0_HUMAN' names the same protein ('sp|P00000|NAME0_HUMAN') as line 1")
        try expectError("plain_1 plain_3\n", fasta, "IDS line 1: expected one id, found 2 words")
        try expectError("# nothing\n\n", fasta, "IDS: no ids")
        let gzip = try gzipCopy(of: folder.appendingPathComponent("p.fasta").path)
        try expectError("plain_1\n", gzip, "\(gzip): plain gzip cannot be read by random access")
        try expectError("plain_1\n", gzip, "recompress it with bgzip")
    }

    func testResiduesAreCheckedOnBuildAndBehindAForeignIndex() throws {
        let folder = try proteinTestFolder()
        let ids = try writeText("b\n", "ids.txt", in: folder)
        let embedder = ProteinEmbedder(backbone: try tinyModel().backbone, modelPath: "tiny")
        let out = folder.appendingPathComponent("e.h5").path
        // No index yet: the build's validation scan names the line, as the streaming reader does.
        let fresh = try writeText(">a\nMKV\n>b\nMJK\n", "fresh.fa", in: folder)
        XCTAssertThrowsError(try embedder.embed(fasta: fresh, ids: ids, to: out, perResidue: false, showsProgress: false)) {
            XCTAssertTrue("\($0)".hasPrefix("\(fresh) line 4 record 'b': invalid character 'J' at position 2"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh + ".fai"))
        // An index made elsewhere skipped that scan: the fetched record is checked the same way.
        let foreign = try writeText(">a\nMKV\n>b\nMJK\n", "foreign.fa", in: folder)
        _ = try writeText("a\t3\t3\t3\t4\nb\t3\t10\t3\t4\n", "foreign.fa.fai", in: folder)
        XCTAssertThrowsError(try embedder.embed(fasta: foreign, ids: ids, to: out, perResidue: false, showsProgress: false)) {
            XCTAssertEqual("\($0)", "\(foreign) record 'b': invalid character 'J' at position 2 (allowed: A-Z except J, '.', '-', a final '*')")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testRealUniProtQueriesFetchedByAccession() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        guard let queries = ["../shared", "../../shared"].map({
            root.appendingPathComponent($0 + "/data/protein/uniprot_500_mmseqs2_QUERY.fasta.gz").standardized.path
        }).first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw XCTSkip("../shared/data/protein is absent")
        }
        let folder = try proteinTestFolder()
        // The bundled file is plain gzip: refused with --ids, accepted once bgzipped.
        XCTAssertThrowsError(try IndexedProteinFasta(queries, cacheDirectory: folder.path)) {
            XCTAssertTrue("\($0)".contains("recompress it with bgzip"), "\($0)")
        }
        let bgzip = try bgzipCopy(of: queries, to: folder.appendingPathComponent("queries.fa.gz").path)
        let streamed = try readAll(queries)
        let indexed = try IndexedProteinFasta(bgzip)
        XCTAssertEqual(indexed.ids, streamed.map(\.id))
        for i in stride(from: streamed.count - 1, through: 0, by: -1) {
            let record = try indexed.record(i)
            XCTAssertEqual(record.residues, streamed[i].residues, record.id)
            XCTAssertEqual(record.accession, streamed[i].accession, record.id)
        }

        // Five short records (a fast test), listed against FASTA order.
        let chosen = Array(stride(from: 0, to: streamed.count, by: 37).map { streamed[$0] }.filter { $0.residues.count < 200 }.prefix(5).reversed())
        XCTAssertEqual(chosen.count, 5)
        let ids = try writeText(chosen.map { $0.accession ?? $0.id }.joined(separator: "\n"), "ids.txt", in: folder)
        let model = try tinyModel()
        let selected = folder.appendingPathComponent("selected.h5").path
        var embedder = ProteinEmbedder(backbone: model.backbone, modelPath: "tiny")
        embedder.chunkSize = 1
        try embedder.embed(fasta: bgzip, ids: ids, to: selected, perResidue: false, showsProgress: false)
        XCTAssertEqual(try rows(selected).count, 5)
        let (got, _, _, file) = try readEmbeddings(selected)
        try file.close()
        XCTAssertEqual(got, chosen.map(\.id))
        // The same records through the streaming path, batched together.
        let subset = try writeText(chosen.map { ">\($0.id)\n" + String(decoding: $0.residues, as: UTF8.self) + "\n" }.joined(),
                                   "subset.fa", in: folder)
        let streamedOut = folder.appendingPathComponent("streamed.h5").path
        try ProteinEmbedder(backbone: model.backbone, modelPath: "tiny").embed(fasta: subset, to: streamedOut, perResidue: false, showsProgress: false)
        try assertRows(selected, equal: try rows(streamedOut))
    }

    func testJobTakesIdsFromTheCommandLine() throws {
        let folder = try proteinTestFolder()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        // The small config cut to one 16-wide layer (mixer from ssm_cfg), to keep the test fast.
        var json = try XCTUnwrap(JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("configs/proteins/lcplm-small.json"))) as? [String: Any])
        json["d_model"] = 16
        json["n_layer"] = 1
        json["hf_mamba_mixer_config"] = nil
        let config = try JSONSerialization.data(withJSONObject: json)
        let modelFolder = folder.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        try config.write(to: modelFolder.appendingPathComponent("config.json"))
        let model = try ModelRegistry.shared.build(config: config)
        try XCTUnwrap(model as? BiMambaLanguageModel).save(safetensors: modelFolder.appendingPathComponent("model.safetensors"))
        let plain = try writeText(fastaText(), "p.fasta", in: folder)
        let bgzip = try bgzipCopy(of: plain, to: folder.appendingPathComponent("p.fa.gz").path)
        let ids = try writeText("plain_7\nP00006\n", "ids.txt", in: folder)
        let out = folder.appendingPathComponent("e.h5").path
        func run(_ fasta: String) throws {
            try embedJob.run(ParsedOptions(["--model", modelFolder.path, "--fasta", fasta, "--ids", ids, "--out", out],
                                           options: embedJob.options, command: "proteins embed"))
        }
        try run(bgzip)
        let (got, _, _, file) = try readEmbeddings(out)
        try file.close()
        XCTAssertEqual(Set(got), ["plain_7", "sp|P00006|NAME6_HUMAN"])
        XCTAssertThrowsError(try run(try gzipCopy(of: plain))) { error in
            XCTAssertTrue(error is CommandError, "\(error)")
            XCTAssertTrue("\(error)".contains("recompress it with bgzip"), "\(error)")
        }
    }

    /// Rewrites `source` (plain, gzip or bgzip) as bgzip at `path` through htslib.
    func bgzipCopy(of source: String, to path: String) throws -> String {
        let input = try XCTUnwrap(bgzf_open(source, "r"))
        defer { bgzf_close(input) }
        let output = try XCTUnwrap(bgzf_open(path, "w"))
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = bgzf_read(input, &buffer, buffer.count)
            XCTAssertGreaterThanOrEqual(n, 0)
            if n <= 0 { break }
            XCTAssertEqual(bgzf_write(output, buffer, n), n)
        }
        XCTAssertEqual(bgzf_close(output), 0)
        return path
    }

    /// A plain gzip copy (one stream, as `gzip` makes) of `source` beside it.
    func gzipCopy(of source: String) throws -> String {
        let path = source + ".plain.gz"
        let output = try XCTUnwrap(bgzf_open(path, "wg"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: source)))
        XCTAssertEqual(bgzf_write(output, bytes, bytes.count), bytes.count)
        XCTAssertEqual(bgzf_close(output), 0)
        return path
    }
}
