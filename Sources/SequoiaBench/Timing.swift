import Dispatch

/// Best-of-n wall time in seconds: runs `body` once to warm up, then repeats until both
/// `minRuns` runs and `minSeconds` of measurement have passed. The minimum is the least
/// noisy estimate of what the code costs on a shared machine.
func measure(minRuns: Int = 3, minSeconds: Double = 0.5, _ body: () -> Void) -> Double {
    body()
    var best = Double.infinity
    var runs = 0
    var total = 0.0
    while runs < minRuns || total < minSeconds {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        best = min(best, dt)
        total += dt
        runs += 1
    }
    return best
}

/// Fixed-width table rows for BENCHMARKS.md (Markdown).
struct Table {
    let header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ cells: String...) { rows.append(cells) }

    func render() -> String {
        var lines = ["| " + header.joined(separator: " | ") + " |",
                     "|" + header.map { _ in " --- |" }.joined()]
        for r in rows { lines.append("| " + r.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}
