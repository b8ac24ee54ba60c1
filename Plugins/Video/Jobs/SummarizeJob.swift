import Foundation
import SequoiaKit

enum SummarizeOptions {
    static let out = Option("out", "DIR", help: "output folder: scenes.csv, summary.json, keyframes/, contact_sheet.jpg, index.html").required
    static let keyframes = Option.int("keyframes", "N", help: "summary of N shots (default 8)", atLeast: 1)
    static let seconds = Option.number("summary-seconds", "S", help: "summary of shots totalling at most S seconds", above: 0)
    static let sceneSimilarity = Option.number("scene-similarity", "C", help: "shots whose embeddings' cosine to the scene so far is at least C stay in it")
        .checked("in [0, 1]") { (0...1).contains($0) }.defaulting(to: 0.8)
}

public let videoSummarizeJob = Job(
    name: "summarize",
    summary: "shots, scenes, keyframes, a summary, a contact sheet and a web page for a video or a frames folder",
    options: VideoInputOptions.all + [SummarizeOptions.out, SummarizeOptions.keyframes, SummarizeOptions.seconds, SummarizeOptions.sceneSimilarity]
) { options in
    if options.given(SummarizeOptions.keyframes) && options.given(SummarizeOptions.seconds) {
        throw UsageError("give at most one of --keyframes and --summary-seconds")
    }
    let out = URL(fileURLWithPath: try options[SummarizeOptions.out])
    let (source, model, encoder, sampling, window, name) = try VideoInputOptions.open(options)
    let budget: SummaryBudget = try options[SummarizeOptions.seconds].map { .seconds($0) } ?? .keyframes(try options[SummarizeOptions.keyframes] ?? 8)
    let summarizer = Summarizer(model: model, encoder: encoder, sampling: sampling, window: window, budget: budget,
                                sceneSimilarity: Float(try options[SummarizeOptions.sceneSimilarity]), modelName: name)
    let start = Date()
    let summary = try summarizer.run(source)
    try SummaryWriter.write(summary, source: source, to: out)
    let elapsed = Date().timeIntervalSince(start)
    print(String(format: "%@: %d frames (%@), %d shots in %d scenes, summary of %d; %.0f frames/s; wrote %@",
                 source.path, summary.frames, timecode(summary.seconds), summary.shots.count, summary.scenes.count,
                 summary.summary.count, Double(summary.frames) / max(elapsed, 1e-9), out.path))
}
