import Foundation

/// One option as the parser and `--help` see it: `--name VALUE`, or a flag `--name` when `valueName` is nil.
public struct OptionSpec: Sendable {
    public let name: String
    public let valueName: String?
    public let help: String
    /// The default shown by `--help`.
    public let defaultValue: String?
    public let required: Bool
}

/// Something a job lists among its options: a `Flag`, an `Option` or a `RequiredOption`.
/// Each is declared once, as a value, and read back through it (`try options[batch]`), typed.
public protocol CommandOption: Sendable {
    var spec: OptionSpec { get }
}

/// `--name`, present or not.
public struct Flag: CommandOption {
    public let spec: OptionSpec

    public init(_ name: String, help: String) {
        spec = OptionSpec(name: name, valueName: nil, help: help, defaultValue: nil, required: false)
    }
}

/// `--name VALUE`, parsed into `Value`; nil when absent.
public struct Option<Value: Sendable>: CommandOption {
    public let spec: OptionSpec
    let parse: @Sendable (String) throws -> Value

    /// `parse` turns the text into a value, or nil when it is not one (`expected` then says what is).
    public init(_ name: String, _ valueName: String, help: String, expected: String,
                parse: @escaping @Sendable (String) -> Value?) {
        spec = OptionSpec(name: name, valueName: valueName, help: help, defaultValue: nil, required: false)
        self.parse = { text in
            guard let value = parse(text) else { throw UsageError("--\(name) must be \(expected), got '\(text)'") }
            return value
        }
    }

    private init(spec: OptionSpec, parse: @escaping @Sendable (String) throws -> Value) {
        self.spec = spec
        self.parse = parse
    }

    /// The same option, refusing values for which `condition` is false with "--name must be `requirement`, got ...".
    public func checked(_ requirement: String, _ condition: @escaping @Sendable (Value) -> Bool) -> Option<Value> {
        let (parse, name) = (self.parse, spec.name)
        return Option(spec: spec) { text in
            let value = try parse(text)
            guard condition(value) else { throw UsageError("--\(name) must be \(requirement), got \(text)") }
            return value
        }
    }

    /// The option made compulsory.
    public var required: RequiredOption<Value> {
        RequiredOption(spec: OptionSpec(name: spec.name, valueName: spec.valueName, help: spec.help, defaultValue: nil, required: true),
                       parse: parse, fallback: nil)
    }

    /// The option with a value when not given.
    public func defaulting(to value: Value) -> RequiredOption<Value> {
        RequiredOption(spec: OptionSpec(name: spec.name, valueName: spec.valueName, help: spec.help,
                                        defaultValue: "\(value)", required: false),
                       parse: parse, fallback: value)
    }
}

/// An option that always has a value: compulsory, or with a default.
public struct RequiredOption<Value: Sendable>: CommandOption {
    public let spec: OptionSpec
    let parse: @Sendable (String) throws -> Value
    let fallback: Value?
}

extension Option where Value == String {
    /// A text value (a path, a name).
    public init(_ name: String, _ valueName: String, help: String) {
        self.init(name, valueName, help: help, expected: "a value") { $0 }
    }
}

extension Option where Value == Int {
    public static func int(_ name: String, _ valueName: String, help: String) -> Option<Int> {
        Option(name, valueName, help: help, expected: "an integer") { Int($0) }
    }

    /// An integer of at least `minimum`.
    public static func int(_ name: String, _ valueName: String, help: String, atLeast minimum: Int) -> Option<Int> {
        int(name, valueName, help: help).checked("at least \(minimum)") { $0 >= minimum }
    }
}

extension Option where Value == Double {
    public static func number(_ name: String, _ valueName: String, help: String) -> Option<Double> {
        Option(name, valueName, help: help, expected: "a number") { Double($0).flatMap { $0.isFinite ? $0 : nil } }
    }

    /// A number above `bound`.
    public static func number(_ name: String, _ valueName: String, help: String, above bound: Double) -> Option<Double> {
        number(name, valueName, help: help).checked("greater than \(bound)") { $0 > bound }
    }
}

extension Option where Value == UInt64 {
    /// A random seed (a non-negative integer).
    public static func seed(_ name: String = "seed", help: String) -> Option<UInt64> {
        Option(name, "S", help: help, expected: "a non-negative integer") { UInt64($0) }
    }
}

/// Options with the same meaning in every job that takes them.
public enum StandardOptions {
    /// The model folder a job loads (config.json + model.safetensors, the Hugging Face layout).
    public static let model = Option("model", "DIR", help: "model folder (config.json + model.safetensors)").required
}

/// A command-line mistake: the CLI prints it on one line and exits with status 2.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Options parsed against a job's declared options, read back through them. Hand-written because no
/// argument-parser package can be fetched here.
public struct ParsedOptions {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []
    public private(set) var positional: [String] = []

    /// Parses `arguments`; unknown options, missing values and missing required options
    /// throw `UsageError`. `--name=value` and `--name value` are both accepted.
    public init(_ arguments: [String], options: [any CommandOption], command: String) throws {
        let specs = options.map(\.spec)
        let byName = Dictionary(specs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
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
    }

    public subscript(flag: Flag) -> Bool { flags.contains(flag.spec.name) }

    /// The option's value, or nil when it was not given.
    public subscript<Value>(option: Option<Value>) -> Value? {
        get throws { try values[option.spec.name].map(option.parse) }
    }

    /// The option's value, or its default.
    public subscript<Value>(option: RequiredOption<Value>) -> Value {
        get throws {
            guard let text = values[option.spec.name] else {
                guard let fallback = option.fallback else { preconditionFailure("required option '--\(option.spec.name)' was not parsed") }
                return fallback
            }
            return try option.parse(text)
        }
    }

    /// Whether the option was given on the command line (not merely defaulted).
    public func given(_ option: some CommandOption) -> Bool {
        values[option.spec.name] != nil || flags.contains(option.spec.name)
    }
}

/// `--help` text for a command: usage line, summary, then one line per option.
public func helpText(usage: String, summary: String, specs: [OptionSpec]) -> String {
    var lines = ["usage: \(usage)", "", summary]
    if !specs.isEmpty {
        lines.append("")
        lines.append("options:")
        let all = specs + [Flag("help", help: "show this help").spec]
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
