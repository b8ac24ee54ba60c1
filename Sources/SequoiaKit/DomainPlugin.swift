/// One thing a plugin can do from the command line: `sequoia <plugin> <job> [options]`.
public struct Job: Sendable {
    public let name: String
    public let summary: String
    public let options: [any CommandOption]
    public let run: @Sendable (ParsedOptions) throws -> Void

    public init(name: String, summary: String, options: [any CommandOption],
                run: @escaping @Sendable (ParsedOptions) throws -> Void) {
        self.name = name
        self.summary = summary
        self.options = options
        self.run = run
    }

    /// The options as `--help` lists them.
    public var specs: [OptionSpec] { options.map(\.spec) }
}

/// A domain adapter (genomics, proteins, EHR, ...): it owns its readers, tokenizers,
/// heads and jobs, and reaches models only through the `Backbone` protocol and the kit.
public protocol DomainPlugin: Sendable {
    var name: String { get }
    var summary: String { get }
    var jobs: [Job] { get }
}

extension DomainPlugin {
    public func job(named name: String) -> Job? { jobs.first { $0.name == name } }
}
