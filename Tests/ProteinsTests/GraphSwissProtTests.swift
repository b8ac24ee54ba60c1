import Foundation
import Proteins
import XCTest

final class GraphSwissProtTests: XCTestCase {
    /// The Swiss-Prot 100 flat file and FASTA, or a skip when ../shared/data/protein is absent.
    private func realData() throws -> (dat: String, fasta: String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("../shared/data/protein").standardized
        let dat = folder.appendingPathComponent("swissprot_100_entries_emboss.dat").path
        let fasta = folder.appendingPathComponent("swissprot_100_entries_emboss.fasta").path
        guard FileManager.default.fileExists(atPath: dat), FileManager.default.fileExists(atPath: fasta) else {
            print("skipping: \(folder.path) lacks the Swiss-Prot 100 .dat/.fasta")
            throw XCTSkip("../shared/data/protein is absent")
        }
        return (dat, fasta)
    }

    func testFlatFileInteractionsBecomeScoredEdges() throws {
        let text = """
        ID   A_HUMAN   Reviewed;   10 AA.
        AC   P11111; Q00001;
        AC   Q00002;
        CC   -!- SUBUNIT: Homodimer.
        CC   -!- INTERACTION:
        CC       Self; NbExp=3; IntAct=EBI-1, EBI-1;
        CC       P22222:B; NbExp=7; IntAct=EBI-1, EBI-2;
        CC       P33333:C (xeno); NbExp=1; IntAct=EBI-1, EBI-3;
        CC   -!- SIMILARITY: Belongs to nothing.
        CC       P44444:NOT_AN_INTERACTION; NbExp=9;
        //
        ID   B_HUMAN   Reviewed;   10 AA.
        AC   P22222;
        CC   -!- INTERACTION:
        CC       P11111:A; NbExp=7; IntAct=EBI-2, EBI-1;
        //
        """
        let edges = try InteractionEdges(text: text, source: "x.dat")
        XCTAssertEqual(edges.edges, [InteractionEdge(a: "P11111", b: "P11111", score: 3), InteractionEdge(a: "P11111", b: "P22222", score: 7),
                                     InteractionEdge(a: "P11111", b: "P33333", score: 1), InteractionEdge(a: "P22222", b: "P11111", score: 7)])
        let strong = try InteractionEdges(text: text, source: "x.dat", minScore: 5)
        XCTAssertEqual(strong.edges.count, 2)
        XCTAssertEqual(strong.belowThreshold, 2)
        let graph = try InteractionGraph(edges: edges, names: ProteinNameIndex(ids: ["P11111", "sp|P22222|B_HUMAN"]), source: "x.dat")
        XCTAssertEqual(graph.report.selfLoops, 1)
        XCTAssertEqual(graph.report.usableEdges, 1)
        XCTAssertEqual(graph.report.unmappedNodes, ["P33333"])

        let bad = text.replacingOccurrences(of: "NbExp=7; IntAct=EBI-1, EBI-2", with: "IntAct=EBI-1, EBI-2")
        XCTAssertThrowsError(try InteractionEdges(text: bad, source: "x.dat")) { error in
            XCTAssertEqual("\(error)", "x.dat:7: interaction with P22222 lacks a numeric NbExp=")
        }
    }

    /// The real file: 9 INTERACTION blocks (the word also appears in 16 reference titles), 15
    /// partner lines; of 22 accessions 10 have a sequence among the 100 entries, and 2 pairs
    /// (beta-galactosidase-lacI, haemoglobin alpha-beta) join two of them.
    func testRealSwissProtFileGivesEdgesAndReportsPartnersWithoutSequence() throws {
        let (dat, fasta) = try realData()
        let text = try String(contentsOfFile: dat, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "CC   -!- INTERACTION:").count - 1, 9)
        let edges = try InteractionEdges(contentsOf: dat)
        XCTAssertEqual(edges.edges.count, 15)
        XCTAssertEqual(edges.nodeNames.count, 22)
        XCTAssert(edges.edges.contains(InteractionEdge(a: "P69905", b: "P68871", score: 19)))
        XCTAssertEqual(try InteractionEdges(contentsOf: dat, minScore: 2).belowThreshold, 2)

        let ids = try ProteinFastaReader.readAll(fasta).map(\.id)
        let graph = try InteractionGraph(edges: edges, names: ProteinNameIndex(ids: ids), source: dat)
        print(graph.report.summary)
        XCTAssertEqual(graph.report.mappedNodes, 10)
        XCTAssertEqual(graph.report.unmappedNodes.count, 12)
        XCTAssert(graph.report.unmappedNodes.contains("Q99750"))
        XCTAssertEqual(graph.report.edgesUnmapped, 12)
        XCTAssertEqual(graph.report.usableEdges, 2)
        XCTAssertEqual(graph.nodes.count, 4)
        XCTAssert(graph.report.summary.contains("12 without (skipped)"), graph.report.summary)
    }

    func testGraphStageTrainsEndToEndOnTheRealInteractions() throws {
        let (dat, fasta) = try realData()
        let dir = try ProteinTrainFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // No held-out split: only 4 proteins have a usable edge, and holding one out could remove both pairs.
        let config = dir + "/config.json"
        try """
        {"model": {"model_type": "lc_plm", "d_model": 16, "n_layer": 2, "vocab_size": 33, "bidirectional": true,
                   "bidirectional_strategy": "add", "bidirectional_weight_tie": true, "mask_token_id": 32,
                   "ssm_cfg": {"d_state": 4, "d_conv": 4, "expand": 2}},
         "training": {"steps": 2, "learning_rate": 0.003, "warmup_steps": 1, "log_every": 1, "checkpoint_every": 2, "seed": 5},
         "data": {"batch": 4, "max_length": 64, "holdout_fraction": 0,
                  "graph": {"walk_length": 3, "walks_per_node": 2, "restart_probability": 0.1}}}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        try ProteinTrainFixture.run(["--config", config, "--fasta", fasta, "--out", dir + "/stage1"])
        try ProteinTrainFixture.run(["--config", config, "--fasta", fasta, "--graph", dat, "--init", dir + "/stage1",
                                     "--out", dir + "/stage2"])
        XCTAssert(FileManager.default.fileExists(atPath: dir + "/stage2/model.safetensors"))
        XCTAssert(FileManager.default.fileExists(atPath: dir + "/stage2/config.json"))

        // Requiring 20 experiments leaves no usable edge: a clear one-line error naming the file.
        let none = ProteinTrainFixture.failure(["--config", config, "--fasta", fasta, "--graph", dat, "--init", dir + "/stage1",
                                                "--min-score", "20", "--out", dir + "/none"])
        XCTAssert(none.contains("\(dat): no usable edge"), none)
        XCTAssertFalse(none.contains("\n"), none)
    }
}
