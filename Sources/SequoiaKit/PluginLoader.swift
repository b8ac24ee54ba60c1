import Foundation

/// The version of the contract between `sequoia` and plugin libraries (the kit's types and the
/// backbone protocol as a library compiled against them sees them). A library built against another
/// version is refused: its compiled code would misread this executable's types.
public enum PluginAPI {
    /// Inlined into each plugin when it is compiled, so a library carries the version it was built with.
    @inlinable public static var version: Int { 2 }
}

/// What an outside plugin library hands over: its C entry point `sequoia_plugin_create` returns one of
/// these, retained (`Unmanaged.passRetained(PluginExport([...])).toOpaque()`).
public final class PluginExport {
    /// The first stored property in every version, so the loader can read it before anything else.
    public let apiVersion: Int
    public let plugins: [any DomainPlugin]

    /// `apiVersion` defaults to the version the library is compiled against.
    @inlinable public convenience init(_ plugins: [any DomainPlugin]) {
        self.init(plugins, apiVersion: PluginAPI.version)
    }

    public init(_ plugins: [any DomainPlugin], apiVersion: Int) {
        self.apiVersion = apiVersion
        self.plugins = plugins
    }
}

/// Loads domain plugins from shared libraries at run time.
///
/// A plugin library is compiled against the `sequoia` executable's modules without linking them (see
/// `scripts/build-plugin.sh`): its references to SequoiaKit resolve to the executable's own copy, which
/// exports its symbols, so there is one plugin registry and one set of types.
public enum PluginLoader {
    /// The C symbol every plugin library exports.
    public static let entryPoint = "sequoia_plugin_create"
    /// Environment variable naming plugin libraries or folders of them, separated by ':'.
    public static let environmentVariable = "SEQUOIA_PLUGINS"

    /// Opens the library at `path` and registers its plugins; returns their names.
    @discardableResult
    public static func load(_ path: String, into registry: PluginRegistry = .shared) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { throw CommandError("\(path): no such plugin library") }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_GLOBAL) else {
            throw CommandError("\(path): cannot load the plugin library (\(dlerror().map { String(cString: $0) } ?? "unknown error"))")
        }
        guard let symbol = dlsym(handle, entryPoint) else {
            dlclose(handle)
            throw CommandError("\(path): not a Sequoia plugin (it exports no '\(entryPoint)')")
        }
        typealias Create = @convention(c) () -> UnsafeMutableRawPointer?
        guard let raw = unsafeBitCast(symbol, to: Create.self)() else {
            throw CommandError("\(path): \(entryPoint) returned nothing")
        }
        let export = Unmanaged<PluginExport>.fromOpaque(raw).takeRetainedValue()
        guard export.apiVersion == PluginAPI.version else {
            throw CommandError("\(path): built against plugin API \(export.apiVersion), but this sequoia has API \(PluginAPI.version); "
                + "rebuild the library with scripts/build-plugin.sh against this checkout")
        }
        guard !export.plugins.isEmpty else { throw CommandError("\(path): the library exports no plugin") }
        for plugin in export.plugins where registry.plugin(named: plugin.name) != nil {
            throw CommandError("\(path): a plugin named '\(plugin.name)' is already registered")
        }
        for plugin in export.plugins { registry.register(plugin) }
        return export.plugins.map(\.name)
    }

    /// The libraries named by a `SEQUOIA_PLUGINS` value: files as given, folders expanded to their `.so` files
    /// in name order.
    public static func libraries(in value: String) -> [String] {
        value.split(separator: ":").flatMap { entry -> [String] in
            let path = String(entry)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { $0.hasSuffix(".so") }.sorted().map { (path as NSString).appendingPathComponent($0) }
        }
    }
}
