import Foundation
import SequoiaNN
import SequoiaTensor

/// How a call to `Trainer.run()` ended.
public enum TrainingOutcome: Equatable, Sendable {
    /// Reached `config.steps`; the final checkpoint is written.
    case completed(step: Int)
    /// Stopped by Ctrl-C; a checkpoint of `step` is written and `resume()` continues from it.
    case interrupted(step: Int)
    /// Stopped early at `timeLimit` or `pauseAtStep`; a checkpoint of `step` is written and
    /// `resume()` continues the same run.
    case paused(step: Int)
}

/// The training loop shared by every domain: any `Optimizer` (AdamW unless given) over a `Module`,
/// gradient accumulation, clipping, a learning-rate schedule, metrics, loss curve, atomic
/// checkpoints and exact resume.
///
/// Each optimizer step draws `accumulation` batches from `data` with the trainer's generator,
/// back-propagates loss / accumulation for each, clips the global gradient norm, sets the
/// scheduled learning rate and steps the optimizer. Modules that draw random numbers
/// (`RandomizedModule`, e.g. dropout) have their generators checkpointed too. Everything the step depends on (weights, moments,
/// generators, data position, step) is checkpointed, so `resume()` + `run()` reproduces an
/// uninterrupted run exactly. Output folder layout: see `CheckpointStore`, plus loss.svg and
/// metrics.jsonl, one line every `logEvery` steps, at each evaluation and at the end: `step`
/// (steps completed), `loss` (mean since the previous line), `lr` (used by that step), `grad_norm`
/// (before clipping), `tokens_per_s` (since the previous line), `<unit>_per_s` with `countUnits`, `elapsed` (seconds, summed over
/// resumes), then the evaluation's numbers.
public final class Trainer<Stream: TrainingData> {
    public let config: TrainingConfig
    public let model: Module
    public let optimizer: any Optimizer
    public var data: Stream
    /// Draws batches (through `data`) and any randomness the loss needs.
    public var rng: RandomGenerator
    /// Optimizer steps completed.
    public private(set) var step = 0
    /// The checkpoint sets in the output folder.
    public let store: CheckpointStore
    /// The output folder (checkpoints, metrics.jsonl, loss.svg, published model files).
    public var output: URL { store.folder }

    /// Tokens (or samples) in a batch, for throughput; 0 when not set.
    public var countTokens: (Stream.Batch) -> Int = { _ in 0 }
    /// A second throughput in the domain's own unit (EHR events, proteins, ...): metrics.jsonl gets
    /// `<name>_per_s` beside `tokens_per_s`.
    public var countUnits: (name: String, count: (Stream.Batch) -> Int)?
    /// Writes the model's files (e.g. model.safetensors and config.json in the HF layout) into a folder.
    public var writeModel: (URL) throws -> Void
    /// Loads the weights from a checkpoint folder written by `writeModel`.
    public var readModel: (URL) throws -> Void
    /// Runs every `config.evalEvery` steps and at the end, in eval mode without gradients;
    /// its numbers join that step's metrics line.
    public var evaluate: ((_ step: Int) throws -> [String: Double])?
    /// Draw the progress bar (step, loss, tokens/s, ETA) on stderr.
    public var showsProgress = true
    /// Wall-clock budget in seconds for this call to `run()`: when it is spent, the step in
    /// progress finishes, a checkpoint is written and `run()` returns `.paused`.
    public var timeLimit: Double?
    /// Stop with a checkpoint after this step (the schedule still follows `config.steps`).
    public var pauseAtStep: Int?

    private let loss: (Stream.Batch, inout RandomGenerator) throws -> Tensor
    private var resumed = false
    private var elapsedBefore = 0.0
    private var tokens = 0
    private var pendingLoss = 0.0
    private var pendingSteps = 0
    private var lastCheckpoint: Int?

    /// `loss` maps a batch to a scalar loss with the graph recorded (it may draw from the generator,
    /// e.g. for augmentation). Without an `optimizer`, AdamW with the config's settings trains the
    /// parameters grouped by `ParameterGroup.decaySplit` (or `parameterGroups`).
    public init(config: TrainingConfig, model: Module, data: Stream, output: URL, optimizer: (any Optimizer)? = nil,
                parameterGroups: [ParameterGroup]? = nil,
                loss: @escaping (Stream.Batch, inout RandomGenerator) throws -> Tensor) throws {
        try config.validate()
        self.config = config
        self.model = model
        self.data = data
        self.loss = loss
        rng = RandomGenerator(seed: config.seed)
        store = CheckpointStore(folder: output)
        self.optimizer = optimizer ?? AdamW(
            groups: parameterGroups ?? ParameterGroup.decaySplit(model.namedParameters(), weightDecay: config.weightDecay),
            learningRate: config.learningRate, betas: (config.betas[0], config.betas[1]), eps: config.eps)
        writeModel = { folder in try model.save(safetensors: folder.appendingPathComponent("model.safetensors")) }
        readModel = { folder in try model.load(safetensors: folder.appendingPathComponent("model.safetensors")) }
    }

    /// Restores the latest checkpoint in the output folder: weights, optimizer moments,
    /// generators, data position, step and metrics. Refuses a config that differs from the
    /// checkpoint's in anything but bookkeeping (steps, log_every, checkpoint_every, eval_every,
    /// keep_checkpoints); a larger `steps` extends the run (the decay then follows the new total).
    public func resume() throws {
        guard let (savedStep, folder) = store.latest() else { throw TrainingError.noCheckpoint(folder: output.path) }
        let state = try TrainerState<Stream.Position>.read(from: folder)
        let differing = config.differences(from: state.config).filter { !TrainingConfig.bookkeepingKeys.contains($0) }
        guard differing.isEmpty else { throw TrainingError.resumeMismatch(folder: folder.path, fields: differing) }
        guard state.step == savedStep else {
            throw TrainingError.corruptCheckpoint(folder: folder.path, reason: "trainer_state.json is for step \(state.step)")
        }
        do {
            try readModel(folder)
            let file = try SafeTensors(contentsOf: folder.appendingPathComponent("optimizer.safetensors"))
            try optimizer.load(state: OptimizerState(tensors: file.tensors(), metadata: file.metadata))
        } catch {
            throw TrainingError.corruptCheckpoint(folder: folder.path, reason: "\(error)")
        }
        for (name, module) in model.namedModules() {
            guard let randomized = module as? any RandomizedModule else { continue }
            guard let saved = state.moduleRngs[name] else {
                throw TrainingError.corruptCheckpoint(folder: folder.path, reason: "no generator saved for \(name)")
            }
            randomized.rng = saved
        }
        rng = state.rng
        data.position = state.dataPosition
        step = state.step
        elapsedBefore = state.elapsed
        tokens = state.tokens
        pendingLoss = state.pendingLoss
        pendingSteps = state.pendingSteps
        lastCheckpoint = state.step
        resumed = true
    }

    /// Trains to `config.steps`, checkpointing every `checkpointEvery` steps, at the end and on Ctrl-C.
    /// Throws `TrainingError.nonFinite` when a loss or gradient norm is NaN or infinite (the
    /// last checkpoint stays as it was).
    @discardableResult
    public func run() throws -> TrainingOutcome {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        store.removeTemporaries()
        let metricsURL = output.appendingPathComponent("metrics.jsonl")
        let metrics: MetricsLog
        if resumed {
            metrics = try MetricsLog(resumingAt: metricsURL, step: step)
        } else {
            if let existing = store.latest() {
                throw TrainingError.outputInUse(folder: output.path, step: existing.step)
            }
            metrics = try MetricsLog(startingAt: metricsURL)
        }

        model.train()
        let previousHandler = InterruptSignal.install()
        defer { InterruptSignal.restore(previousHandler) }
        let schedule = config.learningRateSchedule
        let parameters = optimizer.parameters
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { elapsedBefore + Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        let progress = showsProgress && step < config.steps
            ? ProgressBar(total: config.steps - step, label: step > 0 ? "train from \(step)" : "train", unit: "tok") : nil
        let firstStep = step
        var windowStart = elapsed(), windowTokens = 0, windowUnits = 0

        while step < config.steps {
            let lr = schedule.learningRate(at: step)
            optimizer.learningRate = lr
            optimizer.zeroGrad()
            var stepLoss = 0.0, stepTokens = 0
            for _ in 0..<config.accumulation {
                let batch = try data.next(rng: &rng)
                stepTokens += countTokens(batch)
                windowUnits += countUnits?.count(batch) ?? 0
                let value = try loss(batch, &rng)
                let scalar = Double(value.item())
                guard scalar.isFinite else {
                    throw TrainingError.nonFinite(step: step + 1, quantity: "loss", value: scalar, lastCheckpoint: lastCheckpoint)
                }
                (config.accumulation == 1 ? value : value / Float(config.accumulation)).backward()
                stepLoss += scalar
            }
            stepLoss /= Double(config.accumulation)
            let gradNorm = clipGradNorm(parameters, maxNorm: config.gradClip > 0 ? config.gradClip : .infinity)
            guard gradNorm.isFinite else {
                optimizer.zeroGrad()
                throw TrainingError.nonFinite(step: step + 1, quantity: "gradient norm", value: gradNorm, lastCheckpoint: lastCheckpoint)
            }
            optimizer.step()
            optimizer.zeroGrad()
            step += 1
            tokens += stepTokens
            windowTokens += stepTokens
            pendingLoss += stepLoss
            pendingSteps += 1

            let last = step == config.steps
            var evaluation: [String: Double] = [:]
            if let evaluate, config.evalEvery > 0, step % config.evalEvery == 0 || last {
                model.eval()
                defer { model.train() }
                evaluation = try GradMode.withoutGrad { try evaluate(step) }
            }
            if step % config.logEvery == 0 || last || !evaluation.isEmpty {
                let now = elapsed()
                var values: [(String, Double)] = [
                    ("loss", pendingLoss / Double(pendingSteps)), ("lr", Double(lr)), ("grad_norm", gradNorm),
                    ("tokens_per_s", now > windowStart ? Double(windowTokens) / (now - windowStart) : 0), ("elapsed", now),
                ]
                if let countUnits {
                    values.insert(("\(countUnits.name)_per_s", now > windowStart ? Double(windowUnits) / (now - windowStart) : 0), at: 4)
                }
                values += evaluation.keys.sorted().map { ($0, evaluation[$0]!) }
                try metrics.append(MetricsRecord(step: step, values: values))
                pendingLoss = 0
                pendingSteps = 0
                windowStart = now
                windowTokens = 0
                windowUnits = 0
            }
            progress?.update(step: step - firstStep, units: Double(stepTokens), values: [("loss", stepLoss)])

            if InterruptSignal.isRequested {
                try checkpoint(metrics: metrics, elapsed: elapsed())
                FileHandle.standardError.write(Data(
                    "interrupted at step \(step): checkpoint written to \(output.path); resume to continue\n".utf8))
                return .interrupted(step: step)
            }
            let outOfTime = timeLimit.map { elapsed() - elapsedBefore >= $0 } ?? false
            if !last && (outOfTime || step == pauseAtStep) {
                try checkpoint(metrics: metrics, elapsed: elapsed())
                return .paused(step: step)
            }
            if last || (config.checkpointEvery > 0 && step % config.checkpointEvery == 0) {
                try checkpoint(metrics: metrics, elapsed: elapsed())
            }
        }
        if lastCheckpoint != step { try checkpoint(metrics: metrics, elapsed: elapsed()) }
        return .completed(step: step)
    }

    /// Writes the checkpoint set of the current step, then redraws loss.svg.
    private func checkpoint(metrics: MetricsLog, elapsed: Double) throws {
        var moduleRngs: [String: RandomGenerator] = [:]
        for (name, module) in model.namedModules() {
            if let randomized = module as? any RandomizedModule { moduleRngs[name] = randomized.rng }
        }
        let state = TrainerState(step: step, rng: rng, moduleRngs: moduleRngs, dataPosition: data.position, config: config,
                                 elapsed: elapsed, tokens: tokens, pendingLoss: pendingLoss, pendingSteps: pendingSteps)
        let optimizerState = optimizer.state()
        do {
            try store.write(step: step, keep: config.keepCheckpoints,
                            unpublished: ["optimizer.safetensors", TrainerState<Stream.Position>.fileName]) { folder in
                try writeModel(folder)
                try SafeTensors.write(optimizerState.tensors, metadata: optimizerState.scalarMetadata,
                                      to: folder.appendingPathComponent("optimizer.safetensors"))
                try state.write(to: folder)
            }
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.checkpointFailed(folder: output.path, reason: "\(error)")
        }
        lastCheckpoint = step
        try AtomicFile.write(Data(LossCurve.svg(metrics.records).utf8), to: output.appendingPathComponent("loss.svg"))
    }
}
