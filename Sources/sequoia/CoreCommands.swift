import SequoiaKit

/// Commands that belong to no plugin.
let coreCommands: [Job] = [
    Job(name: "plugins", summary: "list the registered plugins and their jobs", options: []) { _ in
        let plugins = PluginRegistry.shared.all
        if plugins.isEmpty {
            print("no plugins registered")
        }
        for p in plugins {
            print("\(p.name)\t\(p.summary)")
            for j in p.jobs { print("  \(j.name)\t\(j.summary)") }
        }
    },
    forwardCommand,
]
