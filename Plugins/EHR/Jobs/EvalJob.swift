import Foundation
import SequoiaKit
import SequoiaNN

/// `sequoia ehr eval`: AUROC, AUPRC and Brier with bootstrap intervals of a scores file against labels;
/// with the events, on one split, beside the count baseline and stratified by repetition, irregularity
/// and timeline length.
public let ehrEvalJob = Job(
    name: "eval",
    summary: "AUROC/AUPRC/Brier with 1,000-replicate bootstrap intervals; with --events: one split, the count baseline "
        + "and quartiles of repetition, irregularity and timeline length",
    options: [
        .value("scores", "CSV", help: "scores file (subject_id,prediction_time,probability) as `ehr score` writes it", required: true),
        .value("labels", "PATH", help: "MEDS labels (subject_id, prediction_time, boolean_value): Parquet or CSV", required: true),
        .value("events", "PATH", help: "MEDS events (folder, Parquet or CSV): enables the split, baseline and stratification"),
        .value("split", "NAME", help: "held_out, tuning, train or all (needs --events unless all; default held_out with --events)"),
        .value("json", "FILE", help: "write the report as JSON to FILE ('-' prints it instead of the table)"),
        .value("plot", "FILE.svg", help: "write AUROC by quartile, model vs baseline, as SVG (needs --events)"),
        .value("seed", "S", help: "seed of the bootstrap resamples and the baseline's cross-validation folds", default: "0"),
    ],
    run: { options in
        guard let seed = try options.int("seed"), seed >= 0 else { throw UsageError("ehr eval: --seed must be a non-negative integer") }
        let events = options.string("events")
        var split: SubjectSplit? = events == nil ? nil : .heldOut
        if let name = options.string("split") {
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
        if options.string("plot") != nil, events == nil {
            throw UsageError("ehr eval: --plot needs --events (it draws metrics by quartile of the timelines)")
        }
        let jsonTarget = options.string("json")
        let report = try EvalReport.evaluate(scores: options.string("scores")!, labels: options.string("labels")!, events: events,
                                             split: split, seed: UInt64(seed), progress: jsonTarget != "-")
        if let plot = options.string("plot") {
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
