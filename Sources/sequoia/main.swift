import Foundation
import SequoiaKit

// `sequoia <command> [options]` or `sequoia <plugin> <job> [options]`. Usage mistakes exit
// with status 2, failures with 1; both print one line to stderr.

let version = "0.1.0"

for plugin in builtinPlugins { PluginRegistry.shared.register(plugin) }

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("sequoia: \(message)\n".utf8))
    exit(status)
}

func run(_ job: Job, _ arguments: [String], command: String) {
    if arguments.contains("--help") || arguments.contains("-h") {
        print(helpText(usage: "sequoia \(command) [options]", summary: job.summary, specs: job.specs))
        exit(0)
    }
    do {
        try job.run(try ParsedOptions(arguments, options: job.options, command: command))
    } catch let error as UsageError {
        fail(error.description, status: 2)
    } catch {
        fail("\(error)", status: 1)
    }
}

func topLevelHelp() -> String {
    var lines = [
        "usage: sequoia <command> [options]",
        "       sequoia <plugin> <job> [options]",
        "       sequoia <job> --config FILE [options]   (the plugin from the config's \"plugin\" field or folder)",
        "",
        "Sequoia trains and runs long-sequence models (Mamba, Hyena, attention) on non-text data.",
        "",
        "commands:",
    ]
    for c in coreCommands { lines.append("  " + c.name.padding(toLength: 12, withPad: " ", startingAt: 0) + c.summary) }
    let plugins = PluginRegistry.shared.all
    if !plugins.isEmpty {
        lines.append("")
        lines.append("plugins (sequoia <plugin> --help lists its jobs):")
        for p in plugins { lines.append("  " + p.name.padding(toLength: 12, withPad: " ", startingAt: 0) + p.summary) }
    }
    lines.append("")
    lines.append("options: --help, --version, --plugin LIB.so (load an outside plugin; repeatable; also SEQUOIA_PLUGINS=a.so:dir)")
    return lines.joined(separator: "\n")
}

func pluginHelp(_ plugin: any DomainPlugin) -> String {
    var lines = ["usage: sequoia \(plugin.name) <job> [options]", "", plugin.summary, "", "jobs:"]
    for j in plugin.jobs { lines.append("  " + j.name.padding(toLength: 12, withPad: " ", startingAt: 0) + j.summary) }
    return lines.joined(separator: "\n")
}

/// Loads the plugin libraries named by SEQUOIA_PLUGINS and by leading `--plugin FILE` options; returns the
/// arguments that follow those options.
func loadOutsidePlugins(_ arguments: [String]) -> [String] {
    var libraries = ProcessInfo.processInfo.environment[PluginLoader.environmentVariable].map(PluginLoader.libraries(in:)) ?? []
    var rest = arguments[...]
    while rest.first == "--plugin" {
        guard rest.count >= 2 else { fail("--plugin needs a library path", status: 2) }
        libraries.append(rest[rest.startIndex + 1])
        rest = rest.dropFirst(2)
    }
    for library in libraries {
        do { try PluginLoader.load(library) } catch { fail("\(error)", status: 1) }
    }
    return Array(rest)
}

/// `sequoia <job> --config FILE`: the plugin is the config's "plugin" field, or else the name of the folder
/// the config sits in (configs/genomics/...).
func pluginForConfig(job: String, arguments: [String]) -> (any DomainPlugin)? {
    guard let i = arguments.firstIndex(of: "--config"), i + 1 < arguments.count else { return nil }
    let path = arguments[i + 1]
    guard let data = FileManager.default.contents(atPath: path) else { fail("\(path): cannot read the config file", status: 1) }
    let named = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["plugin"] as? String
    let name = named ?? URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
    guard let plugin = PluginRegistry.shared.plugin(named: name) else {
        fail(named != nil ? "\(path): no plugin named '\(name)' (see sequoia plugins)"
                          : "\(path): the config names no \"plugin\" and its folder '\(name)' is not a plugin", status: 2)
    }
    guard plugin.job(named: job) != nil else { fail("plugin '\(plugin.name)' has no job '\(job)' (from \(path))", status: 2) }
    return plugin
}

let arguments = loadOutsidePlugins(Array(CommandLine.arguments.dropFirst()))
guard let first = arguments.first else {
    print(topLevelHelp())
    exit(2)
}

switch first {
case "--help", "-h", "help":
    print(topLevelHelp())
case "--version", "version":
    print("sequoia \(version)")
default:
    if let command = coreCommands.first(where: { $0.name == first }) {
        run(command, Array(arguments.dropFirst()), command: first)
    } else if let plugin = PluginRegistry.shared.plugin(named: first) {
        let rest = arguments.dropFirst()
        guard let jobName = rest.first, !jobName.hasPrefix("-") else {
            print(pluginHelp(plugin))
            exit(rest.first == "--help" || rest.first == "-h" ? 0 : 2)
        }
        guard let job = plugin.job(named: jobName) else {
            fail("plugin '\(plugin.name)' has no job '\(jobName)' (see sequoia \(plugin.name) --help)", status: 2)
        }
        run(job, Array(rest.dropFirst()), command: "\(plugin.name) \(jobName)")
    } else if !first.hasPrefix("-"), let plugin = pluginForConfig(job: first, arguments: Array(arguments.dropFirst())) {
        run(plugin.job(named: first)!, Array(arguments.dropFirst()), command: "\(plugin.name) \(first)")
    } else if first.hasPrefix("-") {
        fail("unknown option '\(first)' (see sequoia --help)", status: 2)
    } else {
        fail("unknown command '\(first)' (see sequoia --help)", status: 2)
    }
}
