import Foundation
import SequoiaKit
import SequoiaNN

/// `sequoia ehr eval`: AUROC, AUPRC and Brier with bootstrap intervals of a scores file against labels;
/// with the events, on one split, beside the count baseline and stratified by repetition, irregularity
/// and timeline length.
enum EvalOptions {
    static let scores = Option("scores", "CSV", help: "scores file (subject_id,prediction_time,probability) as `ehr score` writes it").required
    static let labels = Option("labels", "PATH", help: "MEDS labels (subject_id, prediction_time, boolean_value): Parquet or CSV").required
    static let events = Option("events", "PATH", help: "MEDS events (folder, Parquet or CSV): enables the split, baseline and stratification")
    static let split = Option("split", "NAME", help: "held_out, tuning, train or all (needs --events unless all; default held_out with --events)")
    static let json = Option("json", "FILE", help: "write the report as JSON to FILE ('-' prints it instead of the table)")
    static let plot = Option("plot", "FILE.svg", help: "write AUROC by quartile, model vs baseline, as SVG (needs --events)")
    static let seed = Option.seed(help: "seed of the bootstrap resamples and the baseline's cross-validation folds").defaulting(to: 0)
}

public let ehrEvalJob = Job(
    name: "eval",
    summary: "AUROC/AUPRC/Brier with 1,000-replicate bootstrap intervals; with --events: one split, the count baseline "
        + "and quartiles of repetition, irregularity and timeline length",
    options: [EvalOptions.scores, EvalOptions.labels, EvalOptions.events, EvalOptions.split, EvalOptions.json, EvalOptions.plot,
              EvalOptions.seed],
    run: { options in
        let seed = try options[EvalOptions.seed]
        let events = try options[EvalOptions.events]
        var split: SubjectSplit? = events == nil ? nil : .heldOut
        if let name = try options[EvalOptions.split] {
            if name == "all" {
                split = nil
            } else {
                guard let chosen = SubjectSplit(rawValue: name) else {
                    throw UsageError("ehr eval: --split must be held_out, tuning, train or all, got '\(name)'")
                }
                guard events != nil else { throw UsageError("ehr eval: --split \(name) needs --events (splits come from the cohort)") }
                split = chosen
            }
        }
        let plot = try options[EvalOptions.plot]
        if plot != nil, events == nil {
            throw UsageError("ehr eval: --plot needs --events (it draws metrics by quartile of the timelines)")
        }
        let jsonTarget = try options[EvalOptions.json]
        let report = try EvalReport.evaluate(scores: try options[EvalOptions.scores], labels: try options[EvalOptions.labels], events: events,
                                             split: split, seed: seed, progress: jsonTarget != "-")
        if let plot {
            try AtomicFile.write(Data(QuartilePlot.svg(report).utf8), to: URL(fileURLWithPath: plot))
        }
        if jsonTarget == "-" {
            print(report.json)
        } else {
            if let jsonTarget { try AtomicFile.write(Data((report.json + "\n").utf8), to: URL(fileURLWithPath: jsonTarget)) }
            print(report.table)
        }
    }
)
