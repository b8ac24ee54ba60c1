import EHR
import Genomics
import Proteins
import SequoiaKit

/// Plugins compiled into the executable. Domain plugins register here as they land.
func registerBuiltinPlugins() {
    PluginRegistry.shared.register(GenomicsPlugin())
    PluginRegistry.shared.register(ProteinsPlugin())
    PluginRegistry.shared.register(EHRPlugin())
}

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
