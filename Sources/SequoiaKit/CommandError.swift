/// A failure a command reports as one line (exit status 1), e.g. a bad input file.
public struct CommandError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
