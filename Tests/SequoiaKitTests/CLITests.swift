import Foundation
import XCTest

/// Runs the built `sequoia` executable (it sits beside the test bundle).
func runSequoia(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var exe = dir.appendingPathComponent("sequoia")
    if !FileManager.default.isExecutableFile(atPath: exe.path) {
        exe = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sequoia")
    }
    guard FileManager.default.isExecutableFile(atPath: exe.path) else {
        throw XCTSkip("sequoia executable not found beside the tests at \(exe.path)")
    }
    let p = Process()
    p.executableURL = exe
    p.arguments = arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

final class CLITests: XCTestCase {
    func testVersionAndHelp() throws {
        let v = try runSequoia(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.hasPrefix("sequoia "))
        let h = try runSequoia(["--help"])
        XCTAssertEqual(h.status, 0)
        XCTAssertTrue(h.stdout.contains("plugins"))
    }

    func testEveryCommandHasHelp() throws {
        let commands = try runSequoia(["--help"]).stdout
            .components(separatedBy: "\n")
            .drop { $0 != "commands:" }.dropFirst()
            .prefix { !$0.isEmpty }
            .compactMap { $0.split(separator: " ").first.map(String.init) }
        XCTAssertFalse(commands.isEmpty)
        for c in commands {
            let r = try runSequoia([c, "--help"])
            XCTAssertEqual(r.status, 0, "\(c) --help")
            XCTAssertTrue(r.stdout.hasPrefix("usage: sequoia \(c)"), "\(c) --help prints usage")
        }
    }

    func testUsageMistakesExitTwoWithOneLine() throws {
        for args in [["--bogus"], ["nosuchcommand"], ["plugins", "--nope"], ["genomics", "train", "--steps"], ["genomics", "nosuchjob"]] {
            let r = try runSequoia(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line for \(args): \(r.stderr)")
        }
    }

    func testPluginsListsTheRegistry() throws {
        let r = try runSequoia(["plugins"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("genomics"), r.stdout)
        XCTAssertTrue(r.stdout.contains("train"), r.stdout)
    }

    func testEveryPluginJobHasHelp() throws {
        let plugins = try runSequoia(["plugins"]).stdout.split(separator: "\n")
            .filter { !$0.hasPrefix(" ") }.compactMap { $0.split(separator: "\t").first.map(String.init) }
        XCTAssertTrue(plugins.contains("genomics") && plugins.contains("proteins"), "\(plugins)")
        for plugin in plugins {
            let r = try runSequoia([plugin, "--help"])
            XCTAssertEqual(r.status, 0, plugin)
            let jobs = r.stdout.components(separatedBy: "\n").drop { $0 != "jobs:" }.dropFirst()
                .compactMap { $0.split(separator: " ").first.map(String.init) }
            XCTAssertFalse(jobs.isEmpty, plugin)
            for job in jobs {
                let h = try runSequoia([plugin, job, "--help"])
                XCTAssertEqual(h.status, 0, "\(plugin) \(job)")
                XCTAssertTrue(h.stdout.hasPrefix("usage: sequoia \(plugin) \(job)"), h.stdout)
            }
        }
    }
}
