import Foundation

/// Text pieces shared by the SVG pictures Sequoia writes (loss curves, metric-by-quartile plots).
public enum SVGText {
    /// A coordinate with one decimal.
    public static func number(_ v: Double) -> String { String(format: "%.1f", v) }

    /// `s` escaped for use as XML text.
    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
