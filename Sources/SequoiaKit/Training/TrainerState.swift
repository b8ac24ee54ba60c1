import Foundation
import SequoiaNN
import SequoiaTensor

/// trainer_state.json: everything besides weights and optimizer moments that a resumed run needs
/// to continue bit for bit, plus the running totals behind the metrics.
struct TrainerState<Position: Codable>: Codable {
    /// Optimizer steps completed.
    var step: Int
    var rng: RandomGenerator
    /// Generators owned by modules (dropout), by module path.
    var moduleRngs: [String: RandomGenerator]
    var dataPosition: Position
    var config: TrainingConfig
    /// Training seconds so far, across resumes.
    var elapsed: Double
    var tokens: Int
    /// Loss sum and step count since the last metrics line (the next line averages them).
    var pendingLoss: Double
    var pendingSteps: Int

    enum CodingKeys: String, CodingKey {
        case step, rng, config, elapsed, tokens
        case moduleRngs = "module_rngs", dataPosition = "data_position"
        case pendingLoss = "pending_loss", pendingSteps = "pending_steps"
    }

    static var fileName: String { "trainer_state.json" }

    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(encoder.encode(self), to: folder.appendingPathComponent(Self.fileName))
    }

    static func read(from folder: URL) throws -> TrainerState {
        let url = folder.appendingPathComponent(fileName)
        do {
            return try JSONDecoder().decode(TrainerState.self, from: Data(contentsOf: url))
        } catch {
            throw TrainingError.corruptCheckpoint(folder: folder.path, reason: "\(fileName): \(error)")
        }
    }
}
