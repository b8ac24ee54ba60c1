import Foundation
import SequoiaKit
import SequoiaNN
import SequoiaTensor

/// The proof model: a two-layer MLP that learns y = sin(3x) on [-1, 1] with AdamW, warm-up
/// and cosine decay, and gradient clipping. It exercises the whole core (tensors, autograd,
/// layers, optimizer, schedule, safetensors) in seconds; domain plugins supersede it.
private final class SineMLP: Module {
    let fc1: Linear
    let fc2: Linear

    init(hidden: Int, rng: inout RandomGenerator) {
        fc1 = Linear(1, hidden, rng: &rng)
        fc2 = Linear(hidden, 1, rng: &rng)
    }

    func callAsFunction(_ x: Tensor) -> Tensor { fc2(fc1(x).tanh()) }
}

let demoCommand = Job(
    name: "demo",
    summary: "train the core's proof model (an MLP fitting sin(3x)) with a progress bar",
    options: [
        .value("steps", "N", help: "optimizer steps", default: "1500"),
        .value("hidden", "H", help: "hidden units", default: "64"),
        .value("lr", "LR", help: "peak learning rate", default: "0.02"),
        .value("seed", "S", help: "random seed", default: "11"),
        .value("out", "FILE", help: "save the trained weights as safetensors"),
    ]
) { options in
    let steps = try options.int("steps")!, hidden = try options.int("hidden")!
    let lr = Float(try options.double("lr")!)
    guard steps > 0, hidden > 0, lr > 0 else { throw UsageError("demo: steps, hidden and lr must be positive") }
    var rng = RandomGenerator(seed: UInt64(try options.int("seed")!))

    let n = 256
    let xs = (0..<n).map { Float(-1 + 2 * Double($0) / Double(n - 1)) }
    let x = Tensor(shape: [n, 1], scalars: xs)
    let y = Tensor(shape: [n, 1], scalars: xs.map { Foundation.sin(3 * $0) })
    let model = SineMLP(hidden: hidden, rng: &rng)
    func loss() -> Tensor {
        let diff = model(x) - y
        return (diff * diff).mean()
    }

    let initial = GradMode.withoutGrad { loss().item() }
    let optimizer = AdamW(groups: ParameterGroup.decaySplit(model.namedParameters(), weightDecay: 1e-4), learningRate: lr)
    let schedule = LearningRateSchedule.warmupCosine(peak: lr, warmupSteps: steps / 20, totalSteps: steps, minRatio: 0.05)
    let progress = ProgressBar(total: steps, label: "demo", unit: "samples")
    for step in 0..<steps {
        optimizer.learningRate = schedule.learningRate(at: step)
        model.zeroGrad()
        let l = loss()
        l.backward()
        guard clipGradNorm(model.parameters(), maxNorm: 5).isFinite else {
            throw TrainingDiverged(step: step)
        }
        optimizer.step()
        progress.update(step: step + 1, units: Double(n), values: [("loss", Double(l.item()))])
    }
    let final = GradMode.withoutGrad { loss().item() }
    print(String(format: "mean squared error: %.5f untrained -> %.5f after %d steps", initial, final, steps))
    if let out = options.string("out") {
        try model.save(safetensors: URL(fileURLWithPath: out))
        print("saved \(model.parameterCount) parameters to \(out)")
    }
}

struct TrainingDiverged: Error, CustomStringConvertible {
    let step: Int
    var description: String { "training diverged at step \(step): the gradient norm is not finite" }
}
