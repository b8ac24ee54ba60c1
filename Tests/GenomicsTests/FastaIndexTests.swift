import Foundation
import Genomics
import SequoiaKit
import XCTest

final class FastaIndexTests: XCTestCase {
    let text = ">a\nACGTACGTAC\nGGCC\n>b\nTTTTTTTTTT\nTTTTTTTTTT\nAA\n"

    func testReadOnlyFolderPutsTheIndexInTheCache() throws {
        let dir = try TestFiles.scratch(self)
        let data = dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let path = try TestFiles.write(text, "x.fa", in: data)
        chmod(data, 0o555)
        guard access(data, W_OK) != 0 else {
            print("skipped read-only folder check: running as a user (root) whom chmod 0555 does not stop writing")
            return
        }
        let cache = dir + "/cache"
        let source = try XCTUnwrap(FastaReader.open(path, cacheDirectory: cache) as? IndexedFasta)
        XCTAssertTrue(source.indexPath.hasPrefix(cache + "/"), source.indexPath)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".fai"))
        XCTAssertEqual(try source.fetch(record: 1, range: 18..<22), Array("TTAA".utf8))
        // The second open finds the cached index.
        XCTAssertEqual(try XCTUnwrap(FastaReader.open(path, cacheDirectory: cache) as? IndexedFasta).indexPath, source.indexPath)
    }

    func testUnwritableIndexPathFallsBackToTheCache() throws {
        // A folder where the .fai should go stops the write even for root.
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(text, "x.fa", in: dir)
        try FileManager.default.createDirectory(atPath: path + ".fai", withIntermediateDirectories: false)
        let cache = dir + "/cache"
        let source = try XCTUnwrap(FastaReader.open(path, cacheDirectory: cache) as? IndexedFasta)
        XCTAssertTrue(source.indexPath.hasPrefix(cache + "/"), source.indexPath)
        XCTAssertTrue(source.indexPath.hasSuffix("/x.fa.fai"), source.indexPath)
        XCTAssertEqual(source.records, [SequenceRecord(name: "a", length: 14), SequenceRecord(name: "b", length: 22)])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testNowhereToWriteTheIndexIsOneClearError() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(text, "x.fa", in: dir)
        try FileManager.default.createDirectory(atPath: path + ".fai", withIntermediateDirectories: false)
        let blocker = try TestFiles.write("", "file", in: dir)
        do {
            _ = try FastaReader.open(path, cacheDirectory: blocker + "/cache")
            XCTFail("expected an index error")
        } catch let error as FastaError {
            guard case .index(let why) = error.kind else { return XCTFail("\(error)") }
            XCTAssertTrue(why.hasPrefix("cannot build the index"), why)
            XCTAssertFalse(error.description.contains("\n"))
        }
    }

    func testStaleIndexIsRebuilt() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(text, "x.fa", in: dir)
        XCTAssertEqual(try FastaReader.open(path).records.map(\.length), [14, 22])

        // Edited after indexing: the older .fai is rebuilt.
        try TestFiles.write(">a\nACGTACGTAC\nGG\n>c\nCCC\n", "x.fa", in: dir)
        try setModified(path + ".fai", secondsAgo: 100)
        let edited = try FastaReader.open(path)
        XCTAssertEqual(edited.records, [SequenceRecord(name: "a", length: 12), SequenceRecord(name: "c", length: 3)])
        XCTAssertEqual(try edited.fetch(record: 1, range: 0..<3), Array("CCC".utf8))

        // Same time stamps but different record lengths: caught by checking where records end.
        try TestFiles.write(">a\nACGTACGTAC\nGGGGG\n>c\nCCCCCC\n", "x.fa", in: dir)
        try setModified(path, secondsAgo: 200)
        let resized = try FastaReader.open(path)
        XCTAssertEqual(resized.records.map(\.length), [15, 6])
    }

    func testMissingIndexIsBuiltBeside() throws {
        let dir = try TestFiles.scratch(self)
        let path = try TestFiles.write(text, "x.fa", in: dir)
        _ = try FastaReader.open(path)
        XCTAssertEqual(try String(contentsOfFile: path + ".fai", encoding: .utf8), "a\t14\t3\t10\t11\nb\t22\t22\t10\t11\n")
        unlink(path + ".fai")
        XCTAssertEqual(try XCTUnwrap(FastaReader.open(path) as? IndexedFasta).indexPath, path + ".fai")
    }

    func testFilesWithoutAFinalLineBreakKeepTheirIndex() throws {
        let dir = try TestFiles.scratch(self)
        let cases = [("full.fa", ">a\nACGT\nACGT\n>b\nAAAA", [8, 4], "AAA"), ("part.fa", ">a\nACGT\nAC", [6], "ACG"),
                     ("blank.fa", ">a\nACGT\nAC\n\n\n>b\nAAA\n\n", [6, 3], "AAA")]
        for (name, text, lengths, lastStart) in cases {
            let path = try TestFiles.write(text, name, in: dir)
            XCTAssertEqual(try FastaReader.open(path).records.map(\.length), lengths)
            let built = try FileManager.default.attributesOfItem(atPath: path + ".fai")[.modificationDate] as? Date
            let again = try XCTUnwrap(FastaReader.open(path) as? IndexedFasta)
            let reused = try FileManager.default.attributesOfItem(atPath: again.indexPath)[.modificationDate] as? Date
            XCTAssertEqual(reused, built, "\(name): index reused, not rebuilt")
            XCTAssertEqual(try again.fetch(record: lengths.count - 1, range: 0..<3), Array(lastStart.utf8))
        }
    }

    private func setModified(_ path: String, secondsAgo: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -secondsAgo)], ofItemAtPath: path)
    }
}
