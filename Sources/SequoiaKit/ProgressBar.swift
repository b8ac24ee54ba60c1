import Foundation

/// Progress of long work on stderr: a redrawn bar with throughput and ETA on a terminal,
/// plain periodic lines otherwise (logs, CI).
public final class ProgressBar {
    private let total: Int
    private let label: String
    private let unit: String
    private let isTerminal: Bool
    private let start = DispatchTime.now()
    private var lastDraw: UInt64 = 0
    private var lastPlainLine: UInt64 = 0
    private var units: Double = 0

    /// `unit` names what throughput counts (e.g. "tok").
    public init(total: Int, label: String, unit: String = "it", isTerminal: Bool = isatty(STDERR_FILENO) != 0) {
        self.total = max(total, 1)
        self.label = label
        self.unit = unit
        self.isTerminal = isTerminal
    }

    /// Reports that `step` of `total` is done, `units` more items were processed, with
    /// optional named values (e.g. loss).
    public func update(step: Int, units newUnits: Double = 1, values: [(String, Double)] = []) {
        units += newUnits
        let now = DispatchTime.now().uptimeNanoseconds
        let finished = step >= total
        if isTerminal {
            guard finished || now - lastDraw > 100_000_000 else { return }
            lastDraw = now
            FileHandle.standardError.write(Data(("\r" + line(step: step, now: now, values: values, bar: true) + "\u{1B}[K").utf8))
            if finished { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            guard finished || lastPlainLine == 0 || now - lastPlainLine > 10_000_000_000 else { return }
            lastPlainLine = now
            FileHandle.standardError.write(Data((line(step: step, now: now, values: values, bar: false) + "\n").utf8))
        }
    }

    /// Marks the work done (when the total was an estimate, such as a video's declared frames).
    public func finish() { update(step: total, units: 0) }

    private func line(step: Int, now: UInt64, values: [(String, Double)], bar: Bool) -> String {
        let elapsed = Double(now - start.uptimeNanoseconds) / 1e9
        let fraction = min(1, Double(step) / Double(total))
        let rate = elapsed > 0 ? units / elapsed : 0
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        var parts = ["\(label) \(step)/\(total)"]
        if bar {
            let width = 24, filled = Int(fraction * Double(width))
            parts[0] = "\(label) [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                + "] \(step)/\(total)"
        }
        for (name, v) in values { parts.append("\(name) " + String(format: "%.4g", v)) }
        parts.append(String(format: "%.0f ", rate) + "\(unit)/s")
        parts.append("elapsed \(formatDuration(elapsed))")
        parts.append("eta \(formatDuration(eta))")
        return parts.joined(separator: "  ")
    }
}

/// "1h02m", "3m05s", "12s".
public func formatDuration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
}
