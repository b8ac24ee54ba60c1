import Foundation
import SequoiaNN

/// Writes a summary folder, whole or not at all: scenes.csv, summary.json, keyframes/*.jpg (full
/// resolution, reread from the source), contact_sheet.jpg (keyframes in a grid with timecodes)
/// and index.html (a timeline with thumbnails, linking the keyframes).
public enum SummaryWriter {
    public static let thumbnailWidth = 320
    public static let sheetColumns = 4

    public static func write(_ summary: VideoSummary, source: FrameSource, to out: URL) throws {
        try AtomicFolder.write(to: out) { folder in
            try AtomicFile.write(Data(summary.scenesCSV.utf8), to: folder.appendingPathComponent("scenes.csv"))
            let json = try JSONSerialization.data(withJSONObject: summary.json, options: [.prettyPrinted, .sortedKeys])
            try AtomicFile.write(json, to: folder.appendingPathComponent("summary.json"))
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("keyframes"), withIntermediateDirectories: false)
            var thumbnails: [RGBImage] = []
            for shot in summary.shots {
                let image = try source.reread(index: shot.keyframe, seconds: shot.keyframeSeconds)
                try JPEGWriter.write(image, to: folder.appendingPathComponent(VideoSummary.keyframeName(shot)))
                let height = max(2, image.height * thumbnailWidth / max(1, image.width)) / 2 * 2
                thumbnails.append(image.resized(width: thumbnailWidth, height: height))
            }
            try JPEGWriter.write(contactSheet(summary.shots, thumbnails), to: folder.appendingPathComponent("contact_sheet.jpg"))
            try AtomicFile.write(Data(html(summary).utf8), to: folder.appendingPathComponent("index.html"))
        }
    }

    /// Keyframes in rows of `sheetColumns`, each over a dark band with "#shot start-timecode".
    static func contactSheet(_ shots: [Shot], _ thumbnails: [RGBImage]) -> RGBImage {
        let cellHeight = (thumbnails.map(\.height).max() ?? 180) + 24, gap = 4
        let rows = (thumbnails.count + sheetColumns - 1) / sheetColumns
        var sheet = RGBImage(width: sheetColumns * (thumbnailWidth + gap) + gap, height: max(1, rows) * (cellHeight + gap) + gap, filledWith: 24)
        for (i, thumbnail) in thumbnails.enumerated() {
            let x = gap + (i % sheetColumns) * (thumbnailWidth + gap), y = gap + (i / sheetColumns) * (cellHeight + gap)
            sheet.paste(thumbnail, x: x, y: y)
            sheet.draw("#\(shots[i].number) \(timecode(shots[i].startSeconds))", x: x + 4, y: y + thumbnail.height + 5)
        }
        return sheet
    }

    static func html(_ summary: VideoSummary) -> String {
        func escape(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let total = max(summary.seconds, 1e-9), chosen = Set(summary.summary)
        var timeline = "", cards = ""
        for (i, shot) in summary.shots.enumerated() {
            let left = 100 * shot.startSeconds / total, width = max(0.2, 100 * shot.seconds / total)
            let scene = summary.scenes.firstIndex { $0.shots.contains(i) } ?? 0
            timeline += String(format: "<a class=\"seg s%d\" href=\"#shot-%d\" style=\"left:%.3f%%;width:%.3f%%\" title=\"shot %d, %@\"></a>\n",
                               scene % 6, shot.number, left, width, shot.number, timecode(shot.startSeconds))
            cards += """
            <figure id="shot-\(shot.number)" class="\(chosen.contains(i) ? "chosen" : "")"><a href="\(VideoSummary.keyframeName(shot))">\
            <img src="\(VideoSummary.keyframeName(shot))" alt="shot \(shot.number)" loading="eager"></a>\
            <figcaption>shot \(shot.number) · scene \(scene + 1) · \(timecode(shot.startSeconds)) – \(timecode(shot.endSeconds)) · \
            \(shot.opening.rawValue)\(shot.opening == .start ? "" : String(format: " %.2f", shot.confidence))</figcaption></figure>

            """
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape((summary.source as NSString).lastPathComponent)) · Sequoia video summary</title>
        <style>
        body{font-family:sans-serif;margin:1.5em;background:#111;color:#eee}
        .timeline{position:relative;height:28px;background:#333;margin:1em 0}
        .seg{position:absolute;top:0;height:100%;border-right:1px solid #111}
        .s0{background:#4e79a7}.s1{background:#f28e2b}.s2{background:#59a14f}.s3{background:#e15759}.s4{background:#76b7b2}.s5{background:#edc948}
        .grid{display:flex;flex-wrap:wrap;gap:8px} figure{margin:0;width:320px} img{width:320px;display:block}
        figure.chosen{outline:3px solid #edc948} figcaption{font-size:12px;padding:4px 0}
        </style></head><body>
        <h1>\(escape((summary.source as NSString).lastPathComponent))</h1>
        <p>\(summary.frames) frames, \(timecode(summary.seconds)), \(summary.shots.count) shots in \(summary.scenes.count) scenes;
        sampled \(escape(summary.sampling)); model \(escape(summary.model)). Outlined: the \(summary.summary.count) shots of the summary.
        Files: <a href="scenes.csv">scenes.csv</a>, <a href="summary.json">summary.json</a>, <a href="contact_sheet.jpg">contact sheet</a>.</p>
        <div class="timeline">
        \(timeline)</div>
        <div class="grid">
        \(cards)</div>
        <script>
        // Marks the page once every keyframe has loaded, so a headless browser can check it rendered.
        window.addEventListener('load', () => {
          const images = [...document.images];
          const ok = images.filter(i => i.complete && i.naturalWidth > 0).length;
          document.body.setAttribute('data-keyframes-loaded', ok + '/' + images.length);
        });
        </script>
        </body></html>

        """
    }
}
