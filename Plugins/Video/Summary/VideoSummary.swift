import Foundation

/// What summarize found in one video: everything its output files hold.
public struct VideoSummary {
    public var source: String
    public var frameRate: Double
    public var frames: Int
    public var seconds: Double
    public var sampling: String
    public var model: String
    public var shots: [Shot]
    public var scenes: [Scene]
    /// Indices into `shots`, in time order.
    public var summary: [Int]

    /// PySceneDetect's scene list columns (one row per shot, frames 1-based, ends inclusive),
    /// without the "Timecode List" row it puts first.
    public var scenesCSV: String {
        var lines = ["Scene Number,Start Frame,Start Timecode,Start Time (seconds),End Frame,End Timecode,End Time (seconds),"
            + "Length (frames),Length (timecode),Length (seconds)"]
        for shot in shots {
            lines.append([String(shot.number), String(shot.startFrame + 1), timecode(shot.startSeconds), String(format: "%.3f", shot.startSeconds),
                          String(shot.endFrame), timecode(shot.endSeconds), String(format: "%.3f", shot.endSeconds),
                          String(shot.frames), timecode(shot.seconds), String(format: "%.3f", shot.seconds)].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func keyframeName(_ shot: Shot) -> String { String(format: "keyframes/shot-%04d.jpg", shot.number) }

    public var json: [String: Any] {
        func shotObject(_ s: Shot) -> [String: Any] {
            ["shot": s.number, "start_frame": s.startFrame, "end_frame": s.endFrame, "start_seconds": s.startSeconds,
             "end_seconds": s.endSeconds, "start_timecode": timecode(s.startSeconds), "opening": s.opening.rawValue,
             "confidence": Double(s.confidence), "keyframe": Self.keyframeName(s), "keyframe_frame": s.keyframe,
             "keyframe_seconds": s.keyframeSeconds]
        }
        return [
            "source": source, "frame_rate": frameRate, "frames": frames, "seconds": seconds, "sampling": sampling, "model": model,
            "shots": shots.map(shotObject),
            "scenes": scenes.map { scene -> [String: Any] in
                let first = shots[scene.shots.lowerBound], last = shots[scene.shots.upperBound - 1]
                return ["scene": scene.number, "shots": Array(scene.shots.map { $0 + 1 }), "start_seconds": first.startSeconds,
                        "end_seconds": last.endSeconds, "keyframe": Self.keyframeName(shots[scene.keyframeShot])]
            },
            "summary": summary.map { shotObject(shots[$0]) },
            "summary_seconds": summary.reduce(0) { $0 + shots[$1].seconds },
        ]
    }
}
