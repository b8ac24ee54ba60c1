import Foundation
import Proteins
import SequoiaKit
import XCTest

/// Issue 5's path on real data: a model trained by `proteins train` on the Swiss-Prot entries
/// embeds the 500 UniProt queries through `proteins embed`.
final class ProteinsEndToEndTests: XCTestCase {
    func testTrainOnSwissProtThenEmbedTheUniProtQueries() throws {
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/protein")
        let swissProt = data.appendingPathComponent("swissprot_100_entries_emboss.fasta").path
        let queries = data.appendingPathComponent("uniprot_500_mmseqs2_QUERY.fasta.gz").path
        guard FileManager.default.fileExists(atPath: swissProt), FileManager.default.fileExists(atPath: queries) else {
            throw XCTSkip("protein data not found at \(data.path) (it is not shipped; ../shared holds it)")
        }
        let dir = try ProteinTrainFixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let config = try ProteinTrainFixture.writeConfig(in: dir, steps: 2)
        try ProteinTrainFixture.run(["--config", config, "--fasta", swissProt, "--out", dir + "/model"])

        let out = dir + "/queries.h5"
        try embedJob.run(ParsedOptions(["--model", dir + "/model", "--fasta", queries, "--out", out],
                                       options: embedJob.options, command: "proteins embed"))
        let file = try HDF5File.openReadOnly(out)
        defer { try? file.close() }
        let ids = try file.root.dataset("ids").readStrings()
        XCTAssertEqual(ids.count, 500)
        XCTAssertEqual(Set(ids).count, 500)
        XCTAssertEqual(try file.root.dataset("mean").shape(), [500, 16])
        XCTAssertTrue(try file.root.dataset("mean").readFloat32().allSatisfy(\.isFinite))
    }
}
