import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaTensor

/// `sequoia genomics eval`: bits per nucleotide and perplexity of a model on held-out windows,
/// beside an order-k Markov model fitted here on the training part (k chosen on a validation
/// slice of the training part, never on the evaluation windows) and scored on the same positions.
enum EvalOptions {
    static let fasta = Option("fasta", "FASTA", help: "FASTA, bgzip FASTA or gzip FASTA").required
    static let regions = Option("regions", "BED", help: "regions; a 4th column train/validation/test assigns the split")
    static let length = Option.int("length", "L", help: "window length", atLeast: 2).defaulting(to: 1024)
    static let holdout = Option.number("holdout-fraction", "F", help: "held-out tail of each record (as in training)")
        .checked("in (0, 1)") { $0 > 0 && $0 < 1 }.defaulting(to: 0.1)
    static let batch = Option.int("batch", "B", help: "windows per forward pass", atLeast: 1).defaulting(to: 8)
    static let maxOrder = Option.int("max-order", "K", help: "largest Markov order tried", atLeast: 0).defaulting(to: 12)
    static let json = Flag("json", help: "print one JSON object instead of a table")
}

public let evalJob = Job(
    name: "eval",
    summary: "bits per nucleotide on held-out windows, beside an order-k Markov baseline",
    options: [StandardOptions.model, EvalOptions.fasta, EvalOptions.regions, EvalOptions.length, EvalOptions.holdout,
              EvalOptions.batch, EvalOptions.maxOrder, EvalOptions.json]
) { options in
    let length = try options[EvalOptions.length], batch = try options[EvalOptions.batch]
    let model = try ModelDirectory.load(URL(fileURLWithPath: try options[StandardOptions.model]))
    let input = try GenomeInput(fasta: try options[EvalOptions.fasta], regions: try options[EvalOptions.regions],
                                holdOut: .tail(fraction: try options[EvalOptions.holdout]))
    let windows = evaluationWindows(length: length, regions: input.split.validation)
    guard !windows.isEmpty else {
        throw CommandError("\(input.source.path): no held-out region holds a \(length)-nt window")
    }
    let tokens = try input.tokens(windows)
    // Targets are positions 1..<L (each predicted from what precedes it), A/C/G/T only.
    let masks = tokens.map { ids in ids.indices.map { $0 > 0 && ids[$0] != NucleotideTokenizer.n } }

    let progress = ProgressBar(total: windows.count, label: "eval", unit: "nt")
    var neural = LanguageModelScore()
    for start in stride(from: 0, to: windows.count, by: batch) {
        let group = start..<min(windows.count, start + batch)
        let ids = IndexTensor(shape: [group.count, length], scalars: group.flatMap { tokens[$0] })
        let logProbs = model.inferring { model.logits(ids, lengths: nil).logSoftmax() }
        let v = logProbs.shape[2], p = logProbs.pointer
        for (row, w) in group.enumerated() {
            for t in 1..<length where masks[w][t] {
                neural.add(nats: -Double(p[(row * length + t - 1) * v + Int(tokens[w][t])]), tokenCount: 1)
            }
        }
        progress.update(step: group.upperBound, units: Double(group.count * length))
    }

    // The Markov model never sees the evaluation windows: it is fitted on the training part,
    // with its last 5% per region held back to choose k.
    let fitRegions = input.split.train.map { r in
        GenomicRegion(record: r.record, range: r.range.lowerBound..<(r.range.upperBound - r.range.count / 20))
    }
    let pickRegions = input.split.train.map { r in
        GenomicRegion(record: r.record, range: (r.range.upperBound - r.range.count / 20)..<r.range.upperBound)
    }
    let fit = MarkovBaseline.fit(train: try input.tokens(fitRegions), validation: try input.tokens(pickRegions),
                                 maxOrder: min(try options[EvalOptions.maxOrder], MarkovModel.maximumOrder))
    let markov = fit.model.score(windows: tokens, masks: masks)

    if options[EvalOptions.json] {
        let object: [String: Any] = [
            "windows": windows.count, "window_length": length, "scored_nucleotides": neural.tokenCount,
            "model": ["bits_per_nt": neural.bitsPerToken, "perplexity": Foundation.pow(2, neural.bitsPerToken)],
            "markov": ["order": fit.chosenOrder, "bits_per_nt": markov.bitsPerToken,
                       "perplexity": Foundation.pow(2, markov.bitsPerToken)],
        ]
        print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
    } else {
        print("held out: \(windows.count) windows of \(length) nt, \(neural.tokenCount) scored nucleotides")
        print("".padding(toLength: 16, withPad: " ", startingAt: 0) + "  bits/nt  perplexity")
        for (name, bits) in [("model", neural.bitsPerToken), ("markov (k=\(fit.chosenOrder))", markov.bitsPerToken)] {
            print(name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: " %8.4f %11.4f", bits, Foundation.pow(2, bits)))
        }
    }
}
