import Foundation

/// A loss-against-step chart as a standalone SVG: axes with ticks and labels, the training loss,
/// and every other `*loss*` metric (e.g. eval_loss) as its own coloured line with a legend.
public enum LossCurve {
    public static func svg(_ records: [MetricsRecord], title: String = "training loss") -> String {
        let width = 720.0, height = 420.0
        let left = 70.0, right = 20.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom

        var keys = ["loss"]
        for record in records {
            for (key, _) in record.values where key != "loss" && key.contains("loss") && !keys.contains(key) { keys.append(key) }
        }
        let series = keys.map { key in
            (key, records.compactMap { r in r[key].flatMap { $0.isFinite ? (Double(r.step), $0) : nil } })
        }.filter { !$0.1.isEmpty }
        let points = series.flatMap(\.1)

        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(fmt(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
        guard !points.isEmpty else {
            return svg + "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(height / 2))\" text-anchor=\"middle\">no data yet</text>\n</svg>\n"
        }
        var (x0, x1) = (points.map(\.0).min()!, points.map(\.0).max()!)
        var (y0, y1) = (points.map(\.1).min()!, points.map(\.1).max()!)
        if x1 == x0 { x0 -= 1; x1 += 1 }
        let pad = y1 > y0 ? (y1 - y0) * 0.05 : max(abs(y0) * 0.05, 0.5)
        y0 -= pad; y1 += pad
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - y0) / (y1 - y0)) * plotH }

        for i in 0...4 {
            let f = Double(i) / 4
            let xv = x0 + f * (x1 - x0), yv = y0 + f * (y1 - y0)
            let tx = px(xv), ty = py(yv)
            svg += "<line x1=\"\(fmt(tx))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(tx))\" y2=\"\(fmt(top + plotH + 5))\" stroke=\"black\"/>\n"
            svg += "<text x=\"\(fmt(tx))\" y=\"\(fmt(top + plotH + 18))\" text-anchor=\"middle\">\(Int(xv.rounded()))</text>\n"
            svg += "<line x1=\"\(fmt(left - 5))\" y1=\"\(fmt(ty))\" x2=\"\(fmt(left))\" y2=\"\(fmt(ty))\" stroke=\"black\"/>\n"
            svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(ty))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(ty))\" stroke=\"#dddddd\"/>\n"
            svg += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(ty + 4))\" text-anchor=\"end\">\(String(format: "%.4g", yv))</text>\n"
        }
        // Axes after the grid so the grey lines do not cover them.
        svg += "<g stroke=\"black\" stroke-width=\"1\">\n"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(top + plotH))\"/>\n"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top))\" x2=\"\(fmt(left))\" y2=\"\(fmt(top + plotH))\"/>\n</g>\n"
        svg += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(height - 10))\" text-anchor=\"middle\">step</text>\n"
        svg += "<text transform=\"translate(18 \(fmt(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">loss</text>\n"

        let colours = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
        for (i, (key, line)) in series.enumerated() {
            let colour = colours[i % colours.count]
            let coords = line.map { "\(fmt(px($0.0))),\(fmt(py($0.1)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(coords)\"/>\n"
            let ly = top + 14 + Double(i) * 16
            svg += "<line x1=\"\(fmt(left + plotW - 120))\" y1=\"\(fmt(ly - 4))\" x2=\"\(fmt(left + plotW - 100))\" y2=\"\(fmt(ly - 4))\" "
                + "stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(fmt(left + plotW - 95))\" y=\"\(fmt(ly))\">\(escape(key))</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static func fmt(_ v: Double) -> String { SVGText.number(v) }

    private static func escape(_ s: String) -> String { SVGText.escape(s) }
}
