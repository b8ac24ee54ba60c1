import Foundation
import SequoiaKit
import XCTest

/// Outside plugins: the example in Examples/ModelInfoPlugin is compiled into a shared library with
/// scripts/build-plugin.sh and loaded by the built `sequoia`; configs dispatch to their plugin.
final class PluginLoadingTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func buildExamplePlugin() throws -> String {
        let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let config = buildFolder.lastPathComponent == "debug" ? "debug" : "release"
        guard FileManager.default.isExecutableFile(atPath: buildFolder.appendingPathComponent("sequoia").path) else {
            throw XCTSkip("the sequoia executable is not beside the tests in \(buildFolder.path)")
        }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let library = out.appendingPathComponent("libModelInfoPlugin.so").path
        let p = Process()
        p.executableURL = root.appendingPathComponent("scripts/build-plugin.sh")
        p.arguments = ["-c", config, "-o", library, root.appendingPathComponent("Examples/ModelInfoPlugin/ModelInfoPlugin.swift").path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, message)
        return library
    }

    func testAPluginLibraryLoadsAndRunsItsJob() throws {
        let library = try buildExamplePlugin()
        let model = root.appendingPathComponent("Tests/Fixtures/mamba").path
        let r = try runSequoia(["--plugin", library, "model-info", "describe", "--model", model])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(model): MambaLanguageModel, 17376 parameters\n")
        let listed = try runSequoia(["--plugin", library, "plugins"])
        XCTAssertTrue(listed.stdout.contains("model-info\t") && listed.stdout.contains("genomics\t"), listed.stdout)
        // The folder form of SEQUOIA_PLUGINS is checked through the loader's expansion.
        let folder = URL(fileURLWithPath: library).deletingLastPathComponent().path
        XCTAssertEqual(PluginLoader.libraries(in: "\(folder):/x/a.so"), [library, "/x/a.so"])
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
