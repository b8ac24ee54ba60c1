import SequoiaKit

/// The smallest complete domain plugin, to copy when starting a new one: lines of a text file as
/// byte sequences, a next-byte model trained on them with any registered backbone, and one
/// embedding per line. It uses only the backbone protocol and the kit (job config, epoch batches,
/// trainer and run options, line reader, embedding writer), which is all a plugin needs.
///
/// Built into a shared library it is also an outside plugin (`scripts/build-plugin.sh`, then
/// `sequoia --plugin libTemplate.so template ...`); docs/PLUGINS.md walks through it.
public struct TemplatePlugin: DomainPlugin {
    public init() {}
    public let name = "template"
    public let summary = "the plugin template: a next-byte model over the lines of a text file (train, embed)"
    public var jobs: [Job] { [templateTrainJob, templateEmbedJob] }
}

/// The entry point `sequoia --plugin` looks up with dlsym; `PluginExport` carries the plugin API
/// version this library was compiled against, which the loader checks.
@_cdecl("sequoia_plugin_create")
public func sequoiaPluginCreate() -> UnsafeMutableRawPointer {
    Unmanaged.passRetained(PluginExport([TemplatePlugin()])).toOpaque()
}
