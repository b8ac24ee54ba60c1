import Foundation
import SequoiaKit
import XCTest

/// Outside plugins: the template in Plugins/Template is compiled into a shared library with
/// scripts/build-plugin.sh and loaded by the built `sequoia`; a library built against another plugin
/// API is refused; configs dispatch to their plugin.
final class PluginLoadingTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Builds `sources` into a plugin library with scripts/build-plugin.sh, against this build of `sequoia`.
    private func buildPlugin(_ sources: [String], name: String) throws -> String {
        let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let config = buildFolder.lastPathComponent == "debug" ? "debug" : "release"
        guard FileManager.default.isExecutableFile(atPath: buildFolder.appendingPathComponent("sequoia").path) else {
            throw XCTSkip("the sequoia executable is not beside the tests in \(buildFolder.path)")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let library = out.appendingPathComponent("lib\(name).so").path
        let p = Process()
        p.executableURL = root.appendingPathComponent("scripts/build-plugin.sh")
        p.arguments = ["-c", config, "-o", library] + sources
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, message)
        return library
    }

    private func buildTemplatePlugin() throws -> String {
        let folder = root.appendingPathComponent("Plugins/Template")
        let sources = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try buildPlugin(sources.map { folder.appendingPathComponent($0).path }, name: "Template")
    }

    func testAPluginLibraryLoadsAndRunsItsJobs() throws {
        let library = try buildTemplatePlugin()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("template-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let text = work.appendingPathComponent("lines.txt")
        try Data((0..<12).map { "example \($0)" }.joined(separator: "\n").utf8).write(to: text)
        let config = root.appendingPathComponent("configs/template/tiny.json").path
        let model = work.appendingPathComponent("model").path
        let r = try runSequoia(["--plugin", library, "template", "train", "--config", config, "--lines", text.path,
                                "--out", model, "--steps", "3"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("finished at step 3"), r.stdout)
        let embedded = try runSequoia(["--plugin", library, "template", "embed", "--model", model, "--lines", text.path,
                                       "--out", work.appendingPathComponent("e.h5").path])
        XCTAssertEqual(embedded.status, 0, embedded.stderr)
        XCTAssertEqual(embedded.stdout, "embedded 12 line(s) into \(work.appendingPathComponent("e.h5").path)\n")
        let listed = try runSequoia(["--plugin", library, "plugins"])
        XCTAssertTrue(listed.stdout.contains("template\t") && listed.stdout.contains("genomics\t"), listed.stdout)
        // The folder form of SEQUOIA_PLUGINS is checked through the loader's expansion.
        let folder = URL(fileURLWithPath: library).deletingLastPathComponent().path
        XCTAssertEqual(PluginLoader.libraries(in: "\(folder):/x/a.so"), [library, "/x/a.so"])
    }

    func testALibraryBuiltAgainstAnotherPluginAPIIsRefused() throws {
        // A stand-in for a library compiled against another Sequoia: its export reports another API version.
        let source = FileManager.default.temporaryDirectory.appendingPathComponent("OtherAPI-\(UUID().uuidString).swift")
        try Data("""
        import SequoiaKit
        struct Refused: DomainPlugin { let name = "refused"; let summary = "built for another API"; var jobs: [Job] { [] } }
        @_cdecl("sequoia_plugin_create")
        public func create() -> UnsafeMutableRawPointer {
            Unmanaged.passRetained(PluginExport([Refused()], apiVersion: PluginAPI.version + 1)).toOpaque()
        }
        """.utf8).write(to: source)
        defer { try? FileManager.default.removeItem(at: source) }
        let library = try buildPlugin([source.path], name: "OtherAPI")
        let r = try runSequoia(["--plugin", library, "plugins"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("built against plugin API \(PluginAPI.version + 1), but this sequoia has API \(PluginAPI.version)"),
                      r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1)
    }

    func testLibrariesThatAreNotPluginsFailWithOneLine() throws {
        let missing = try runSequoia(["--plugin", "/nonexistent/libX.so", "plugins"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stderr, "sequoia: /nonexistent/libX.so: no such plugin library\n")
        let notPlugin = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-plugin-\(UUID().uuidString).so")
        try Data("not an ELF file".utf8).write(to: notPlugin)
        let bad = try runSequoia(["--plugin", notPlugin.path, "plugins"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("sequoia: \(notPlugin.path): cannot load the plugin library"), bad.stderr)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1)
    }

    func testAJobWithAConfigFindsItsPlugin() throws {
        let config = root.appendingPathComponent("configs/genomics/hyenadna-tiny-1k.json").path
        let help = try runSequoia(["train", "--config", config, "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("usage: sequoia genomics train"), help.stdout)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let named = folder.appendingPathComponent("run.json")
        try Data(#"{"plugin": "proteins"}"#.utf8).write(to: named)
        let byField = try runSequoia(["embed", "--config", named.path, "--help"])
        XCTAssertTrue(byField.stdout.hasPrefix("usage: sequoia proteins embed"), byField.stdout)
        let orphan = try runSequoia(["train", "--config", root.appendingPathComponent("Tests/Fixtures/mamba/config.json").path])
        XCTAssertEqual(orphan.status, 2)
        XCTAssertTrue(orphan.stderr.contains("folder 'mamba' is not a plugin"), orphan.stderr)
    }
}
