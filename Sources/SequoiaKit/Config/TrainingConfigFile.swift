import Foundation

extension TrainingConfig {
    /// Reads and validates a file that is a training config alone (other keys in it are ignored, so
    /// a model config may share the file); every failure is one `CommandError` line naming the file and key.
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
            throw CommandError("\(url.path): \(JobConfigFile.explain(error))")
        }
    }
}
