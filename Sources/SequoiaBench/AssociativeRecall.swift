import Foundation
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// Long-range probe: synthetic associative recall, laid out as Zoology's multi-query variant (MQAR).
/// Each backbone trains from scratch at one length, then answers fresh sequences at that length and
/// at a longer one, where the same bindings must be carried four times as far.
///
/// A sequence of even length L opens with every key once (drawn without replacement, in random
/// order), each followed by a random value: the bindings. The rest is filler pairs, among which
/// all keys but one are queried once (key, then its value) at random slots; the remaining key is
/// the final query at L-2, answered at L-1. Accuracy is measured on that final answer, which sits
/// about L tokens from its binding. Every answer is trained: with only the final one, no backbone
/// here got past chance in 300 steps (one supervised token per sequence is too little signal).
enum AssociativeRecall {
    /// Keys are tokens 0..<keys, values keys..<2*keys, then the filler; the vocabulary is padded to 40.
    static let keys = 16
    static let filler = Int32(2 * keys)
    static let vocab = 40

    struct Settings {
        var steps = 300, batch = 32, dModel = 64, layers = 2, peakLR: Float = 3e-3
        var trainLength = 256, longLength = 1024, evalSequences = 500
    }

    /// A batch of ids [B, L] and labels [B, L] that are -100 except at answers (the causal loss
    /// shifts, so the logits at each query key are the ones trained).
    static func batch(_ size: Int, length: Int, rng: inout RandomGenerator) -> (ids: IndexTensor, labels: IndexTensor) {
        let slots = (length - 2 - 2 * keys) / 2
        precondition(length % 2 == 0 && slots >= keys - 1, "recall length must be even and leave room for the queries")
        var ids = [Int32](), labels = [Int32](repeating: -100, count: size * length)
        ids.reserveCapacity(size * length)
        for row in 0..<size {
            let order = shuffled(Array(0..<keys), &rng)
            var value = [Int32](repeating: 0, count: keys)
            for key in order {
                value[key] = Int32(keys + rng.nextInt(keys))
                ids += [Int32(key), value[key]]
            }
            // Slots for the first keys-1 keys of a second shuffle; its last key is the final query.
            let queries = shuffled(Array(0..<keys), &rng)
            var slotKey = [Int](repeating: -1, count: slots)
            for (i, slot) in shuffled(Array(0..<slots), &rng).prefix(keys - 1).enumerated() { slotKey[slot] = queries[i] }
            for key in slotKey {
                if key < 0 {
                    ids += [filler, filler]
                } else {
                    labels[ids.count + 1] = value[key]  // ids.count is the global offset of this query key
                    ids += [Int32(key), value[key]]
                }
            }
            let last = queries[keys - 1]
            ids += [Int32(last), value[last]]
            labels[row * length + length - 1] = value[last]
        }
        return (IndexTensor(shape: [size, length], scalars: ids), IndexTensor(shape: [size, length], scalars: labels))
    }

    /// Fisher-Yates with the benchmark's own generator, so sequences depend only on the seed.
    static func shuffled(_ items: [Int], _ rng: inout RandomGenerator) -> [Int] {
        var items = items
        for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, rng.nextInt(i + 1)) }
        return items
    }

    /// Model config: BackboneBench's sizes with this vocabulary; Hyena's filters must cover the longest length.
    static func config(arch: String, _ s: Settings) throws -> Data {
        var c = BackboneBench.config(arch: arch, dModel: s.dModel, layers: s.layers, length: s.longLength)
        c["vocab_size"] = vocab
        return try JSONSerialization.data(withJSONObject: c)
    }

    struct Result {
        let seconds: Double, trainLoss: Double, accuracyShort: Double, accuracyLong: Double
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
            // One supervised token per sequence makes single-step losses noisy: report a trailing mean.
            recentLosses = Array((recentLosses + [Double(loss.item())]).suffix(20))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        model.eval()
        return Result(seconds: seconds, trainLoss: recentLosses.reduce(0, +) / Double(max(1, recentLosses.count)),
                      accuracyShort: accuracy(model, length: s.trainLength, s),
                      accuracyLong: accuracy(model, length: s.longLength, s))
    }

    /// Fraction of fresh sequences whose argmax over the value tokens, at the query position, is the answer.
    static func accuracy(_ model: any LanguageModel, length: Int, _ s: Settings) -> Double {
        var rng = RandomGenerator(seed: UInt64(1000 + length))
        let chunk = 50
        var correct = 0, seen = 0
        while seen < s.evalSequences {
            let n = min(chunk, s.evalSequences - seen)
            let (ids, labels) = batch(n, length: length, rng: &rng)
            let logits = GradMode.withoutGrad { model.forward(ids).logits }
            let v = logits.shape[2], p = logits.pointer
            for row in 0..<n {
                let base = (row * length + length - 2) * v
                let best = (keys..<2 * keys).max { p[base + $0] < p[base + $1] }!
                if Int32(best) == labels.scalars[row * length + length - 1] { correct += 1 }
            }
            seen += n
        }
        return Double(correct) / Double(s.evalSequences)
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
              + " accuracy on \(s.evalSequences) fresh sequences per length\n")
        var table = Table("backbone", "steps", "train s", "train loss (last 20)", "acc L=\(s.trainLength)",
                          "acc L=\(s.longLength)", "chance")
        for arch in archs {
            let r = try train(arch: arch, s)
            table.add(arch, "\(s.steps)", String(format: "%.1f", r.seconds), String(format: "%.3f", r.trainLoss),
                      String(format: "%.3f", r.accuracyShort), String(format: "%.3f", r.accuracyLong),
                      String(format: "%.3f", 1 / Double(keys)))
        }
        print(table.render())
    }
}
