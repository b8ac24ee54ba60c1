import Foundation

extension TrainingConfig {
    /// Reads and validates a JSON config file (other keys in it are ignored, so a model config
    /// may share the file); every failure is one `CommandError` line naming the file and key.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw CommandError("\(url.path): cannot read the training config (\(error.localizedDescription))")
        }
        do {
            self = try JSONDecoder().decode(TrainingConfig.self, from: data)
            try validate()
        } catch let error as TrainingError {
            throw CommandError("\(url.path): \(error)")
        } catch let error as DecodingError {
            throw CommandError("\(url.path): \(Self.explain(error))")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func key(_ path: [CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(type, context), let .valueNotFound(type, context):
            return "\(key(context.codingPath)): expected \(type == Float.self || type == Double.self ? "a number" : "\(type)")"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\(key(context.codingPath)): \(context.debugDescription)"
        case let .keyNotFound(missing, _):
            return "missing key \(missing.stringValue)"
        @unknown default:
            return "\(error)"
        }
    }
}
