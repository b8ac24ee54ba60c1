import Foundation

/// HH:MM:SS.mmm, the form PySceneDetect writes.
public func timecode(_ seconds: Double) -> String {
    let ms = Int((max(0, seconds) * 1000).rounded())
    let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60
    return String(format: "%02d:%02d:%02d.%03d", h, m, s, ms % 1000)
}
