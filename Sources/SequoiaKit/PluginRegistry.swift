import Foundation

/// Plugins by name. The CLI registers the built-in ones at start-up.
public final class PluginRegistry: @unchecked Sendable {
    public static let shared = PluginRegistry()
    private var plugins: [String: any DomainPlugin] = [:]
    private let lock = NSLock()

    public func register(_ plugin: any DomainPlugin) {
        lock.lock(); defer { lock.unlock() }
        precondition(plugins[plugin.name] == nil, "plugin '\(plugin.name)' registered twice")
        plugins[plugin.name] = plugin
    }

    public func plugin(named name: String) -> (any DomainPlugin)? {
        lock.lock(); defer { lock.unlock() }
        return plugins[name]
    }

    /// Every registered plugin, sorted by name.
    public var all: [any DomainPlugin] {
        lock.lock(); defer { lock.unlock() }
        return plugins.values.sorted { $0.name < $1.name }
    }
}
