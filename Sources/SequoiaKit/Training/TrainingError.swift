import Foundation

/// Why a training run stopped or could not start; each description is one line.
public enum TrainingError: Error, CustomStringConvertible {
    case invalidConfig(String)
    /// The loss or gradient norm at `step` (1-based) was NaN or infinite; nothing was saved for that step.
    case nonFinite(step: Int, quantity: String, value: Double, lastCheckpoint: Int?)
    case noCheckpoint(folder: String)
    /// A fresh run was pointed at a folder that already holds a run's checkpoints.
    case outputInUse(folder: String, step: Int)
    case resumeMismatch(folder: String, fields: [String])
    case corruptCheckpoint(folder: String, reason: String)
    case checkpointFailed(folder: String, reason: String)

    /// The description without the "training config:" prefix of an invalid config.
    public var message: String {
        if case .invalidConfig(let message) = self { return message }
        return description
    }

    public var description: String {
        switch self {
        case .invalidConfig(let message):
            return "training config: \(message)"
        case let .nonFinite(step, quantity, value, last):
            let kept = last.map { "the last good checkpoint is step \($0)" } ?? "no checkpoint was written yet"
            return "training stopped at step \(step): \(quantity) is \(value); \(kept)"
        case .noCheckpoint(let folder):
            return "cannot resume: \(folder) holds no checkpoint (no 'latest' link and no checkpoint-<step> folder)"
        case let .outputInUse(folder, step):
            return "\(folder) already holds checkpoint-\(step) of another run; resume it or choose an empty output folder"
        case let .resumeMismatch(folder, fields):
            return "cannot resume from \(folder): the config differs in \(fields.joined(separator: ", ")); "
                + "only steps, log_every, checkpoint_every, eval_every and keep_checkpoints may change on resume"
        case let .corruptCheckpoint(folder, reason):
            return "cannot resume from \(folder): \(reason)"
        case let .checkpointFailed(folder, reason):
            return "checkpoint in \(folder) failed: \(reason); the previous checkpoint is intact"
        }
    }
}
