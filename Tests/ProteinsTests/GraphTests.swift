import Foundation
import Proteins
import SequoiaTensor
import XCTest

final class GraphTests: XCTestCase {
    func testStringFormatHeaderAndScoreThreshold() throws {
        let text = "protein1 protein2 combined_score\n9606.A 9606.B 900\n9606.B 9606.A 900\n9606.A 9606.C 150\n\n"
        let edges = try InteractionEdges(text: text, source: "string.txt", minScore: 400)
        XCTAssertEqual(edges.edges, [InteractionEdge(a: "9606.A", b: "9606.B", score: 900),
                                     InteractionEdge(a: "9606.B", b: "9606.A", score: 900)])
        XCTAssertEqual(edges.belowThreshold, 1)
        let tsv = try InteractionEdges(text: "A\tB\nB\tC\t0.5\n", source: "e.tsv")
        XCTAssertEqual(tsv.edges.map(\.score), [1, 0.5])
        XCTAssertEqual(tsv.nodeNames, ["A", "B", "C"])
        XCTAssertThrowsError(try InteractionEdges(text: "A\tB\nC\n", source: "bad.tsv")) {
            XCTAssert("\($0)".contains("bad.tsv:2"), "\($0)")
        }
        XCTAssertThrowsError(try InteractionEdges(text: "A\tB\tx\nA\tC\tnope\n", source: "bad.tsv")) {
            XCTAssert("\($0)".contains("bad.tsv:2"), "\($0)")
        }
    }

    func testNodesMapByIdAccessionAndStringTaxonAndUnmappedAreCounted() throws {
        let names = ProteinNameIndex(ids: ["sp|P11111|AAA_HUMAN", "sp|P22222|BBB_HUMAN", "ENSP3"])
        XCTAssertEqual(names.lookup("sp|P11111|AAA_HUMAN"), 0)
        XCTAssertEqual(names.lookup("P22222"), 1)
        XCTAssertEqual(names.lookup("BBB_HUMAN"), 1)
        XCTAssertEqual(names.lookup("9606.ENSP3"), 2)
        XCTAssertNil(names.lookup("GENE"))
        let edges = try InteractionEdges(text: "P11111\tP22222\t2\nP22222\t9606.ENSP3\nGENE\tP11111\nP11111\tP11111\n", source: "e")
        let graph = try InteractionGraph(edges: edges, names: names, source: "e")
        XCTAssertEqual(graph.report.unmappedNodes, ["GENE"])
        XCTAssertEqual(graph.report.edgesUnmapped, 1)
        XCTAssertEqual(graph.report.selfLoops, 1)
        XCTAssertEqual(graph.report.usableEdges, 2)
        XCTAssertEqual(graph.nodes, [0, 1, 2])
        XCTAssertEqual(graph.neighbours[1]!.map(\.node), [0, 2])
        XCTAssertEqual(graph.neighbours[1]!.map(\.weight), [2, 1])
        XCTAssertThrowsError(try InteractionGraph(edges: edges, names: ProteinNameIndex(ids: ["X"]), source: "e.tsv")) {
            XCTAssert("\($0)".contains("no usable edge: 4 of 4 nodes"), "\($0)")
        }
    }

    func testWalksAreDeterministicStayOnEdgesAndFollowScores() throws {
        // A star: centre 0 to 1 (score 9) and 2 (score 1); then a path 2-3.
        let edges = try InteractionEdges(text: "a\tb\t9\na\tc\t1\nc\td\t1\n", source: "e")
        let graph = try InteractionGraph(edges: edges, names: ProteinNameIndex(ids: ["a", "b", "c", "d"]), source: "e")
        let recipe = RandomWalks(length: 3, walksPerNode: 500, restartProbability: 0.2, weighted: true)
        let walks = recipe.sample(graph, seed: 11)
        XCTAssertEqual(walks, recipe.sample(graph, seed: 11))
        XCTAssertNotEqual(walks, recipe.sample(graph, seed: 12))
        XCTAssertEqual(walks.count, 2000)
        for walk in walks {
            XCTAssertEqual(Set(walk).count, walk.count)
            XCTAssertLessThanOrEqual(walk.count, 3)
        }
        // From "a", the first step goes to "b" ~90% of the time when weighted, ~50% when not.
        let fromA = walks.prefix(500).map { $0[1] }
        XCTAssertEqual(Double(fromA.filter { $0 == 1 }.count) / 500, 0.9, accuracy: 0.05)
        var uniform = recipe
        uniform.weighted = false
        let uniformFromA = uniform.sample(graph, seed: 11).prefix(500).map { $0[1] }
        XCTAssertEqual(Double(uniformFromA.filter { $0 == 1 }.count) / 500, 0.5, accuracy: 0.07)
    }

    func testContextsJoinProteinsWithEosAndCrop() {
        let encoded: [[Int32]] = [[0, 4, 5, 2], [0, 6, 2], [0, 7, 8, 9, 2]]
        XCTAssertEqual(RandomWalks.contexts([[0, 1, 2]], encoded: encoded, maxLength: 100), [[0, 4, 5, 2, 6, 2, 7, 8, 9, 2]])
        XCTAssertEqual(RandomWalks.contexts([[2, 0]], encoded: encoded, maxLength: 6), [[0, 7, 8, 9, 2, 4]])
    }

    func testGraphStageTrainsFromAnInitialCheckpoint() throws {
        let dir = try ProteinTrainFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fasta = try ProteinTrainFixture.writeFasta(in: dir)
        let config = try ProteinTrainFixture.writeConfig(in: dir, steps: 2,
            extraData: #", "graph": {"walk_length": 3, "walks_per_node": 2, "restart_probability": 0.1}"#)
        try ProteinTrainFixture.run(["--config", config, "--fasta", fasta, "--out", dir + "/stage1"])
        var edges = "protein1 protein2 combined_score\n"
        for i in 0..<24 { edges += "P\(i) P\((i + 1) % 24) \(100 + 30 * i)\nP\(i) GENE\(i) 999\n" }
        try edges.write(toFile: dir + "/edges.txt", atomically: true, encoding: .utf8)
        let graphArgs = ["--config", config, "--fasta", fasta, "--graph", dir + "/edges.txt", "--init", dir + "/stage1",
                         "--min-score", "200", "--out", dir + "/stage2"]
        try ProteinTrainFixture.run(graphArgs)
        XCTAssert(FileManager.default.fileExists(atPath: dir + "/stage2/model.safetensors"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/stage1/config.json")),
                       try Data(contentsOf: URL(fileURLWithPath: dir + "/stage2/config.json")))
        let noInit = ProteinTrainFixture.failure(Array(graphArgs.dropLast(2)) .filter { $0 != "--init" && $0 != dir + "/stage1" }
            + ["--out", dir + "/x"])
        XCTAssert(noInit.contains("--init"), noInit)
    }

    func testRealGeneSymbolEdgeListReportsEveryNodeUnmapped() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("../shared/data/protein/ppi_netsam_human_example_edges.tsv").standardized.path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipping: \(path) is absent")
            throw XCTSkip("../shared/data/protein is absent")
        }
        let edges = try InteractionEdges(contentsOf: path)
        XCTAssertEqual(edges.edges.count, 769)
        XCTAssertGreaterThan(edges.nodeNames.count, 10)
        let names = ProteinNameIndex(ids: ["sp|P01023|A2MG_HUMAN", "sp|P02760|AMBP_HUMAN"])
        XCTAssertThrowsError(try InteractionGraph(edges: edges, names: names, source: path)) { error in
            let message = "\(error)"
            XCTAssert(message.contains("no usable edge: \(edges.nodeNames.count) of \(edges.nodeNames.count) nodes have no sequence"), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }
}
