import Foundation

/// The command-line options every training job shares (how long to run, pausing, resuming),
/// applied to a `Trainer` in one place so all jobs behave alike.
public enum TrainingRunOptions {
    public static let specs: [OptionSpec] = [
        .value("steps", "N", help: "train to this many optimizer steps (overrides the config)"),
        .value("max-minutes", "M", help: "stop with a checkpoint after this much wall time (resume continues)"),
        .value("pause-at", "STEP", help: "stop with a checkpoint at this step (resume continues the same run)"),
        .flag("resume", help: "continue the run in --out from its latest checkpoint (a fresh run when there is none)"),
    ]

    /// Sets the time budget and pause step, and resumes when asked and a checkpoint exists.
    public static func apply<Data>(_ options: ParsedOptions, to trainer: Trainer<Data>) throws {
        if let minutes = try options.double("max-minutes") { trainer.timeLimit = minutes * 60 }
        trainer.pauseAtStep = try options.int("pause-at")
        if options.flag("resume") && trainer.store.latest() != nil { try trainer.resume() }
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
