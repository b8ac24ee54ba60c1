import Foundation

/// The command-line options every training job shares (how long to run, pausing, resuming),
/// applied to a `Trainer` in one place so all jobs behave alike.
public enum TrainingRunOptions {
    public static let steps = Option.int("steps", "N", help: "train to this many optimizer steps (overrides the config)", atLeast: 0)
    public static let maxMinutes = Option.number("max-minutes", "M", help: "stop with a checkpoint after this much wall time (resume continues)",
                                                 above: 0)
    public static let pauseAt = Option.int("pause-at", "STEP", help: "stop with a checkpoint at this step (resume continues the same run)",
                                           atLeast: 1)
    public static let resume = Flag("resume", help: "continue the run in --out from its latest checkpoint (a fresh run when there is none)")

    /// Every shared option.
    public static let all: [any CommandOption] = [steps, maxMinutes, pauseAt, resume]
    /// For jobs whose number of steps follows from their own options (epochs of a data set).
    public static let withoutSteps: [any CommandOption] = [maxMinutes, pauseAt, resume]

    /// Sets the time budget and pause step, and resumes when asked and a checkpoint exists.
    public static func apply<Stream>(_ options: ParsedOptions, to trainer: Trainer<Stream>) throws {
        if let minutes = try options[maxMinutes] { trainer.timeLimit = minutes * 60 }
        trainer.pauseAtStep = try options[pauseAt]
        if options[resume] && trainer.store.latest() != nil { try trainer.resume() }
    }

    /// One line saying how the run ended and where the model is.
    public static func describe(_ outcome: TrainingOutcome, output: URL) -> String {
        switch outcome {
        case .completed(let step): return "finished at step \(step); model in \(output.path)"
        case .interrupted(let step): return "stopped at step \(step); resume with --resume"
        case .paused(let step): return "paused at step \(step); model in \(output.path) (continue with --resume)"
        }
    }
}
