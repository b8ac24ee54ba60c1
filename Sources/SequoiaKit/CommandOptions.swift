import Foundation

/// One option a command accepts: `--name VALUE`, or a flag `--name` when `valueName` is nil.
public struct OptionSpec: Sendable {
    public let name: String
    public let valueName: String?
    public let help: String
    public let defaultValue: String?
    public let required: Bool

    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, defaultValue: nil, required: false)
    }

    public static func value(_ name: String, _ valueName: String, help: String,
                             default defaultValue: String? = nil, required: Bool = false) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, defaultValue: defaultValue, required: required)
    }
}

/// A command-line mistake: the CLI prints it on one line and exits with status 2.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Options parsed against a list of specs. Hand-written because no argument-parser package
/// can be fetched here.
public struct ParsedOptions {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    public private(set) var positional: [String] = []

    /// Parses `arguments`; unknown options, missing values and missing required options
    /// throw `UsageError`. `--name=value` and `--name value` are both accepted.
    public init(_ arguments: [String], specs: [OptionSpec], command: String) throws {
        let byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        var i = 0
        var onlyPositional = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if onlyPositional || !arg.hasPrefix("--") || arg == "-" {
                if arg.hasPrefix("-") && arg != "-" && !onlyPositional {
                    throw UsageError("\(command): unknown option '\(arg)' (see --help)")
                }
                positional.append(arg)
                continue
            }
            if arg == "--" { onlyPositional = true; continue }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let spec = byName[name] else {
                throw UsageError("\(command): unknown option '--\(name)' (see --help)")
            }
            if let valueName = spec.valueName {
                if let inline {
                    values[name] = inline
                } else if i < arguments.count, !arguments[i].hasPrefix("--") {
                    values[name] = arguments[i]
                    i += 1
                } else {
                    throw UsageError("\(command): option '--\(name)' needs a value \(valueName)")
                }
            } else {
                if inline != nil { throw UsageError("\(command): option '--\(name)' takes no value") }
                flags.insert(name)
            }
        }
        for spec in specs where spec.required && values[spec.name] == nil {
            throw UsageError("\(command): missing required option '--\(spec.name) \(spec.valueName ?? "")'")
        }
        for spec in specs where values[spec.name] == nil {
            if let d = spec.defaultValue { values[spec.name] = d }
        }
    }

    public func flag(_ name: String) -> Bool { flags.contains(name) }

    public func string(_ name: String) -> String? { values[name] }

    public func int(_ name: String) throws -> Int? {
        guard let s = values[name] else { return nil }
        guard let v = Int(s) else { throw UsageError("option '--\(name)' expects an integer, got '\(s)'") }
        return v
    }

    public func double(_ name: String) throws -> Double? {
        guard let s = values[name] else { return nil }
        guard let v = Double(s) else { throw UsageError("option '--\(name)' expects a number, got '\(s)'") }
        return v
    }
}

/// `--help` text for a command: usage line, summary, then one line per option.
public func helpText(usage: String, summary: String, specs: [OptionSpec]) -> String {
    var lines = ["usage: \(usage)", "", summary]
    if !specs.isEmpty {
        lines.append("")
        lines.append("options:")
        let all = specs + [.flag("help", help: "show this help")]
        let left = all.map { "  --\($0.name)" + ($0.valueName.map { " \($0)" } ?? "") }
        let width = (left.map(\.count).max() ?? 0) + 2
        for (l, spec) in zip(left, all) {
            var help = spec.help
            if let d = spec.defaultValue { help += " (default: \(d))" }
            if spec.required { help += " (required)" }
            lines.append(l.padding(toLength: width, withPad: " ", startingAt: 0) + help)
        }
    }
    return lines.joined(separator: "\n")
}
