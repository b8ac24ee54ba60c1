import Foundation
import Genomics
import SequoiaKit
import XCTest

/// Bundled data and scratch folders for the genomics tests.
enum TestFiles {
    static let dna = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/dna").path
    static let yeast = dna + "/yeast_chrI_Biostrings.fa"
    static let human = dna + "/human_chr17_hg19_part_pyfaidx.fa"
    static let ecoliGzip = dna + "/ecoli536_NC_008253.fna.gz"

    /// A fresh empty folder, removed when the test ends.
    static func scratch(_ test: XCTestCase) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sequoia-g1-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock {
            chmod(dir, 0o755)
            try? FileManager.default.removeItem(atPath: dir)
        }
        return dir
    }

    /// Writes `text` to `dir/name` and returns the path.
    @discardableResult
    static func write(_ text: String, _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Copies a bundled file into `dir`, so indexes are written there rather than into the repository.
    static func copy(_ path: String, into dir: String) throws -> String {
        let target = dir + "/" + (path as NSString).lastPathComponent
        try FileManager.default.copyItem(atPath: path, toPath: target)
        return target
    }

    /// The letters of every record of a FASTA text, upper-cased, by reading it the simple way.
    static func letters(ofFasta text: String) -> [(name: String, letters: [UInt8])] {
        var out: [(String, [UInt8])] = []
        for line in text.split(separator: "\n") {
            let l = line.hasSuffix("\r") ? line.dropLast() : line
            if l.hasPrefix(">") {
                out.append((String(l.dropFirst().split(separator: " ").first ?? ""), []))
            } else {
                out[out.count - 1].1 += Array(l.uppercased().utf8)
            }
        }
        return out
    }

    /// Gunzips a file with the system's gzip.
    static func gunzip(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(path)'"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

/// Asserts `body` throws a `FastaError` of `kind`, with a one-line description naming `file`.
func assertFastaError(_ kind: FastaError.Kind, file: String, record: String? = nil, line: Int? = nil,
                      _ body: () throws -> Any, location: StaticString = #filePath, at lineNo: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected \(kind)", file: location, line: lineNo)
    } catch let error as FastaError {
        XCTAssertEqual(error.kind, kind, file: location, line: lineNo)
        XCTAssertEqual(error.file, file, file: location, line: lineNo)
        if let record { XCTAssertEqual(error.record, record, file: location, line: lineNo) }
        if let line { XCTAssertEqual(error.line, line, file: location, line: lineNo) }
        XCTAssertTrue(error.description.hasPrefix(file), error.description, file: location, line: lineNo)
        XCTAssertFalse(error.description.contains("\n"), error.description, file: location, line: lineNo)
    } catch {
        XCTFail("unexpected error \(error)", file: location, line: lineNo)
    }
}

/// Runs `job` with `arguments` as the CLI would parse them.
func runJob(_ job: Job, _ arguments: [String]) throws {
    try job.run(ParsedOptions(arguments, options: job.options, command: "genomics \(job.name)"))
}

/// The one-line message `job` fails with on `arguments` (a test failure if it succeeds).
func jobFailure(_ job: Job, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        try runJob(job, arguments)
        XCTFail("\(job.name) succeeded with \(arguments)", file: file, line: line)
        return ""
    } catch {
        let message = "\(error)"
        XCTAssertFalse(message.contains("\n"), "not one line: \(message)", file: file, line: line)
        return message
    }
}

