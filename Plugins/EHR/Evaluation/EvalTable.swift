import Foundation
import SequoiaKit

extension EvalReport {
    /// The report as aligned text: rows, overall metrics, then each stratifier's quartiles, model above baseline.
    public var table: String {
        var lines = [
            "scores \(scores) against labels \(labels)" + (events.map { ", events \($0), split \(split)" } ?? ""),
            "rows: \(rows.evaluated) evaluated (\(rows.positives) positive); \(rows.labelsWithoutScore) label(s) without a score, "
                + "\(rows.scoresWithoutLabel) score(s) without a label" + (events == nil ? "" : ", \(rows.scoresOutsideSplit) score(s) outside the split"),
            "intervals: \(Int(confidence * 100))% percentile bootstrap, \(replicates) replicates, seed \(seed)",
        ]
        if let baseline {
            lines.append("baseline: \(baseline.description); fitted on \(baseline.trainRows) train-split label(s) "
                + "(\(baseline.trainPositives) positive), \(baseline.codes) codes, L2 \(Self.number(baseline.l2)) by cross-validation")
            if split != SubjectSplit.heldOut.rawValue && split != SubjectSplit.tuning.rawValue {
                lines.append("note: the evaluated rows include the baseline's training rows, so its numbers are in-sample")
            }
        }
        let header = "  " + Self.pad("", 30) + Self.pad("", 10) + Self.pad("AUROC", 24) + Self.pad("AUPRC", 24) + "Brier"
        lines += ["", header]
        lines += Self.metricLines(label: "all rows", model: model, baseline: baseline?.metrics)
        for stratum in strata {
            let cuts = stratum.quartiles.cutPoints.map(Self.number).joined(separator: ", ")
            lines += ["", "\(stratum.stratifier.title), quartile cut points \(cuts)"]
            for bin in stratum.bins {
                let range = bin.minimum.map { "\(Self.number($0))..\(Self.number(bin.maximum!))" } ?? "empty"
                lines += Self.metricLines(label: "Q\(bin.quartile) \(range)", model: bin.model, baseline: bin.baseline)
            }
        }
        if let baseline, !baseline.strongestCodes.isEmpty {
            lines += ["", "baseline's strongest codes (weight per SD of log count; positive raises the risk)"]
            for c in baseline.strongestCodes {
                lines.append("  " + Self.pad(String(format: "%+.3f", c.weight), 10) + c.code + (c.description.map { "  \($0)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func metricLines(label: String, model: BootstrappedMetrics, baseline: BootstrappedMetrics?) -> [String] {
        func line(_ name: String, _ m: BootstrappedMetrics, first: Bool) -> String {
            let rowLabel = first ? "\(label) n=\(m.count) pos=\(m.positives)" : ""
            return "  " + pad(rowLabel, 30) + pad(name, 10) + pad(interval(m.auroc), 24) + pad(interval(m.auprc), 24) + interval(m.brier)
        }
        return [line("model", model, first: true)] + (baseline.map { [line("baseline", $0, first: false)] } ?? [])
    }

    private static func interval(_ i: BootstrapInterval?) -> String {
        guard let i else { return "-" }
        return String(format: "%.3f [%.3f, %.3f]", i.estimate, i.lower, i.upper)
    }

    static func number(_ v: Double) -> String { String(format: "%.4g", v) }

    private static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
