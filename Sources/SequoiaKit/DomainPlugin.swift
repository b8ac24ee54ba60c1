/// One thing a plugin can do from the command line: `sequoia <plugin> <job> [options]`.
public struct Job: Sendable {
    public let name: String
    public let summary: String
    public let options: [OptionSpec]
    public let run: @Sendable (ParsedOptions) throws -> Void

    public init(name: String, summary: String, options: [OptionSpec],
                run: @escaping @Sendable (ParsedOptions) throws -> Void) {
        self.name = name
        self.summary = summary
        self.options = options
        self.run = run
    }
}

/// A domain adapter (genomics, proteins, EHR, ...): it owns its readers, tokenizers,
/// heads and jobs, and builds on the shared backbones and training loop.
public protocol DomainPlugin: Sendable {
    var name: String { get }
    var summary: String { get }
    var jobs: [Job] { get }
}

extension DomainPlugin {
    public func job(named name: String) -> Job? { jobs.first { $0.name == name } }
}
