import Foundation
import SequoiaKit

/// A standalone SVG of AUROC by quartile, one panel per stratifier: the model and the baseline as points
/// joined across quartiles, their bootstrap intervals as error bars, and chance (0.5) dashed.
public enum QuartilePlot {
    /// The picture of `report`'s strata (a note in its place when the report has none).
    public static func svg(_ report: EvalReport) -> String {
        let panelWidth = 300.0, height = 380.0, left = 56.0, gap = 24.0, top = 64.0, bottom = 56.0
        let plotW = panelWidth - gap, plotH = height - top - bottom
        let width = left + Double(max(report.strata.count, 1)) * panelWidth + 10
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="15">AUROC by quartile (\(escape(report.split)), \
        \(Int(report.confidence * 100))% bootstrap intervals)</text>

        """
        let series: [(name: String, colour: String, offset: Double, shape: String)] = [
            ("model", "#1f77b4", -5, "circle"), ("baseline", "#d62728", 5, "square"),
        ]
        for (i, s) in series.enumerated() {
            let x = width / 2 - 90 + Double(i) * 110
            svg += marker(s.shape, x: x, y: 40, colour: s.colour)
            svg += "<text x=\"\(f(x + 10))\" y=\"44\">\(s.name)</text>\n"
        }
        guard !report.strata.isEmpty else {
            return svg + "<text x=\"\(f(width / 2))\" y=\"\(f(height / 2))\" text-anchor=\"middle\">no stratification (needs --events)</text>\n</svg>\n"
        }
        func py(_ v: Double) -> Double { top + (1 - v) * plotH }
        for (p, stratum) in report.strata.enumerated() {
            let x0 = left + Double(p) * panelWidth
            func px(_ quartile: Int) -> Double { x0 + (Double(quartile) - 0.5) / 4 * plotW }
            for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
                svg += "<line x1=\"\(f(x0))\" y1=\"\(f(py(tick)))\" x2=\"\(f(x0 + plotW))\" y2=\"\(f(py(tick)))\" stroke=\"#dddddd\"/>\n"
                if p == 0 { svg += "<text x=\"\(f(x0 - 6))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(tick)</text>\n" }
            }
            svg += "<line x1=\"\(f(x0))\" y1=\"\(f(py(0.5)))\" x2=\"\(f(x0 + plotW))\" y2=\"\(f(py(0.5)))\" stroke=\"#888888\" stroke-dasharray=\"4 3\"/>\n"
            svg += "<rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
            for bin in stratum.bins {
                svg += "<text x=\"\(f(px(bin.quartile)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">Q\(bin.quartile)</text>\n"
                svg += "<text x=\"\(f(px(bin.quartile)))\" y=\"\(f(top + plotH + 29))\" text-anchor=\"middle\" font-size=\"9\" fill=\"#555555\">n=\(bin.model.count)</text>\n"
            }
            svg += "<text x=\"\(f(x0 + plotW / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\">\(escape(stratum.stratifier.title))</text>\n"
            for s in series {
                let points = stratum.bins.compactMap { bin -> (Double, BootstrapInterval)? in
                    let metrics = s.name == "model" ? bin.model : bin.baseline
                    return metrics?.auroc.map { (px(bin.quartile) + s.offset, $0) }
                }
                if points.count > 1 {
                    let coords = points.map { "\(f($0.0)),\(f(py($0.1.estimate)))" }.joined(separator: " ")
                    svg += "<polyline fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"1.5\" points=\"\(coords)\"/>\n"
                }
                for (x, interval) in points {
                    svg += "<g stroke=\"\(s.colour)\" stroke-width=\"1.2\">"
                        + "<line x1=\"\(f(x))\" y1=\"\(f(py(interval.lower)))\" x2=\"\(f(x))\" y2=\"\(f(py(interval.upper)))\"/>"
                        + "<line x1=\"\(f(x - 3))\" y1=\"\(f(py(interval.lower)))\" x2=\"\(f(x + 3))\" y2=\"\(f(py(interval.lower)))\"/>"
                        + "<line x1=\"\(f(x - 3))\" y1=\"\(f(py(interval.upper)))\" x2=\"\(f(x + 3))\" y2=\"\(f(py(interval.upper)))\"/></g>\n"
                    svg += marker(s.shape, x: x, y: py(interval.estimate), colour: s.colour)
                }
            }
        }
        svg += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">AUROC</text>\n"
        return svg + "</svg>\n"
    }

    private static func marker(_ shape: String, x: Double, y: Double, colour: String) -> String {
        shape == "circle"
            ? "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"3.5\" fill=\"\(colour)\"/>\n"
            : "<rect x=\"\(f(x - 3.5))\" y=\"\(f(y - 3.5))\" width=\"7\" height=\"7\" fill=\"\(colour)\"/>\n"
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
