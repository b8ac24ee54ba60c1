import Foundation
import SequoiaKit
import SequoiaModels

/// An outside plugin, built into a shared library by `scripts/build-plugin.sh` and loaded with
/// `sequoia --plugin libModelInfoPlugin.so model-info describe --model DIR`.
struct ModelInfoPlugin: DomainPlugin {
    let name = "model-info"
    let summary = "describe a model folder (an example of a plugin loaded from a shared library)"
    var jobs: [Job] { [describeJob] }
}

let describeJob = Job(
    name: "describe",
    summary: "print a model folder's architecture and parameter count",
    options: [.value("model", "DIR", help: "model folder: config.json + model.safetensors", required: true)]
) { options in
    let folder = options.string("model")!
    let model = try ModelDirectory.load(URL(fileURLWithPath: folder))
    print("\(folder): \(type(of: model)), \(model.parameterCount) parameters")
}

/// The entry point Sequoia looks up with dlsym.
@_cdecl("sequoia_plugin_create")
public func sequoiaPluginCreate() -> UnsafeMutableRawPointer {
    Unmanaged.passRetained(PluginExport([ModelInfoPlugin()])).toOpaque()
}
