import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// Long-range probe: synthetic associative recall (the H3 / Zoology task). Each backbone trains
/// from scratch at one length, then answers fresh sequences at that length and at a longer one.
///
/// A sequence of even length L is (L-2)/2 key-value pairs under one random key -> value map (keys
/// drawn with replacement, so a key's value is the same at each occurrence), then a query key at
/// L-2 and its value at L-1. The query key occurs exactly once before, at a pair placed uniformly
/// over the sequence (the other pairs use the other keys), so the recall distance spans the whole
/// context, up to L at the longer length; accuracy is measured on that final answer.
/// Every repeated key's value is trained too: with only the final answer supervised (one token
/// per sequence), no backbone here got past chance in 300 steps, nor with Zoology's multi-query
/// layout (bindings first, 16 answers per sequence).
enum AssociativeRecall {
    /// Keys are tokens 0..<keys, values keys..<2*keys; 2 * 16 = 32 is already a multiple of 8.
    static let keys = 16
    static let vocab = 2 * keys

    struct Settings {
        var steps = 300, batch = 32, dModel = 64, layers = 2, peakLR: Float = 3e-3
        var trainLength = 256, longLength = 1024, evalSequences = 500
    }

    /// A batch of ids [B, L] and labels [B, L] that are -100 except at values whose key occurred
    /// before (the causal loss shifts, so the logits at those keys are the ones trained).
    static func batch(_ size: Int, length: Int, rng: inout RandomGenerator) -> (ids: IndexTensor, labels: IndexTensor) {
        precondition(length >= 4 && length % 2 == 0, "recall length must be even and >= 4")
        let pairs = (length - 2) / 2
        var ids = [Int32](), labels = [Int32](repeating: -100, count: size * length)
        ids.reserveCapacity(size * length)
        for _ in 0..<size {
            let value = (0..<keys).map { _ in Int32(keys + rng.nextInt(keys)) }
            let query = rng.nextInt(keys), anchor = rng.nextInt(pairs)
            var seen = [Bool](repeating: false, count: keys)
            for p in 0...pairs {
                let key: Int
                if p == anchor || p == pairs {
                    key = query
                } else {
                    let other = rng.nextInt(keys - 1)
                    key = other >= query ? other + 1 : other
                }
                if seen[key] { labels[ids.count + 1] = value[key] }  // ids.count is this key's global offset
                seen[key] = true
                ids += [Int32(key), value[key]]
            }
        }
        return (IndexTensor(shape: [size, length], scalars: ids), IndexTensor(shape: [size, length], scalars: labels))
    }

    /// Model config: BackboneBench's sizes with this vocabulary; Hyena's filters must cover the longest length.
    static func config(arch: String, _ s: Settings) throws -> Data {
        var c = BackboneBench.config(arch: arch, dModel: s.dModel, layers: s.layers, length: s.longLength)
        c["vocab_size"] = vocab
        return try JSONSerialization.data(withJSONObject: c)
    }

    struct Result {
        let seconds: Double, trainLoss: Double
        /// Final-answer accuracy at the training and the longer length, and over every trained answer at the training length.
        let accuracyShort: Double, accuracyLong: Double, accuracyAll: Double
    }

    static func train(arch: String, _ s: Settings) throws -> Result {
        let model = try ModelRegistry.shared.build(config: try config(arch: arch, s), seed: 0)
        let optimizer = AdamW(groups: ParameterGroup.decaySplit(model.namedParameters(), weightDecay: 0.1),
                              learningRate: s.peakLR)
        let schedule = LearningRateSchedule.warmupCosine(peak: s.peakLR, warmupSteps: max(1, s.steps / 10),
                                                         totalSteps: s.steps, minRatio: 0.1)
        // Same data stream for every backbone, so they are compared on identical batches.
        var rng = RandomGenerator(seed: 1)
        var recentLosses = [Double]()
        model.train()
        let t0 = DispatchTime.now().uptimeNanoseconds
        for step in 0..<s.steps {
            let (ids, labels) = batch(s.batch, length: s.trainLength, rng: &rng)
            model.zeroGrad()
            let loss = model.loss(logits: model.forward(ids).logits, labels: labels)
            loss.backward()
            clipGradNorm(model.parameters(), maxNorm: 1)
            optimizer.learningRate = schedule.learningRate(at: step)
            optimizer.step()
            // One batch's loss is noisy: report the mean of the last 20.
            recentLosses = Array((recentLosses + [Double(loss.item())]).suffix(20))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        model.eval()
        let short = accuracy(model, length: s.trainLength, s)
        return Result(seconds: seconds, trainLoss: recentLosses.reduce(0, +) / Double(max(1, recentLosses.count)),
                      accuracyShort: short.final, accuracyLong: accuracy(model, length: s.longLength, s).final,
                      accuracyAll: short.all)
    }

    /// Argmax-over-values accuracy on fresh sequences: on the final answer (long range), and on every
    /// trained answer (mostly keys repeated a few pairs back: tells "learnt no recall" from "no long recall").
    static func accuracy(_ model: any LanguageModel, length: Int, _ s: Settings) -> (final: Double, all: Double) {
        var rng = RandomGenerator(seed: UInt64(1000 + length))
        let chunk = 50
        var finalCorrect = 0, allCorrect = 0, allCount = 0, seen = 0
        while seen < s.evalSequences {
            let n = min(chunk, s.evalSequences - seen)
            let (ids, labels) = batch(n, length: length, rng: &rng)
            let logits = GradMode.withoutGrad { model.forward(ids).logits }
            let v = logits.shape[2], p = logits.pointer
            for row in 0..<n {
                for t in 1..<length where labels.scalars[row * length + t] != -100 {
                    let base = (row * length + t - 1) * v
                    let best = (keys..<2 * keys).max { p[base + $0] < p[base + $1] }!
                    let hit = Int32(best) == labels.scalars[row * length + t]
                    if hit { allCorrect += 1 }
                    if hit && t == length - 1 { finalCorrect += 1 }
                    allCount += 1
                }
            }
            seen += n
        }
        return (Double(finalCorrect) / Double(s.evalSequences), Double(allCorrect) / Double(max(1, allCount)))
    }

    static func run(_ args: [String]) throws {
        func value(_ name: String) -> String? {
            args.firstIndex(of: "--\(name)").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
        }
        var s = Settings()
        s.steps = Int(value("steps") ?? "\(s.steps)")!
        s.batch = Int(value("batch") ?? "\(s.batch)")!
        s.dModel = Int(value("d-model") ?? "\(s.dModel)")!
        s.peakLR = Float(value("lr") ?? "\(s.peakLR)")!
        let archs = (value("arch") ?? "mamba,hyena,attention").split(separator: ",").map(String.init)

        print("Associative recall: \(keys) keys, \(keys) values; train L = \(s.trainLength), \(s.steps) steps x batch \(s.batch),"
              + " d_model \(s.dModel), \(s.layers) layers, AdamW peak lr \(s.peakLR) warmup+cosine;"
              + " accuracy (argmax over values) on \(s.evalSequences) fresh sequences per length\n")
        var table = Table("backbone", "steps", "train s", "train loss (last 20)", "final acc L=\(s.trainLength)",
                          "final acc L=\(s.longLength)", "all-answer acc L=\(s.trainLength)", "chance")
        for arch in archs {
            let r = try train(arch: arch, s)
            table.add(arch, "\(s.steps)", String(format: "%.1f", r.seconds), String(format: "%.3f", r.trainLoss),
                      String(format: "%.3f", r.accuracyShort), String(format: "%.3f", r.accuracyLong),
                      String(format: "%.3f", r.accuracyAll),
                      String(format: "%.3f", 1 / Double(keys)))
        }
        print(table.render())
    }
}
