import Foundation
import SequoiaKit
import SequoiaModels
import SequoiaNN
import SequoiaTensor

/// `sequoia proteins train`: masked-LM pretraining of a protein language model (LC-PLM's recipe:
/// 15% of residues, 80% <mask> / 10% random / 10% kept) on a FASTA, with a held-out split scored
/// by masked-LM perplexity; or, with `--graph` and `--init`, LC-PLM-G's second stage on random-walk
/// contexts of a PPI graph. Checkpoints (config.json + model.safetensors in the LC-PLM layout),
/// exact resume, progress and metrics.jsonl come from SequoiaKit's `Trainer`.
enum TrainOptions {
    static let config = Option("config", "FILE", help: "JSON with model, training and data sections (see configs/proteins)").required
    static let fasta = Option("fasta", "FASTA", help: "protein FASTA").required
    static let out = Option("out", "DIR", help: "output folder: config.json, model.safetensors, checkpoints, metrics").required
    static let graph = Option("graph", "EDGES", help: "PPI edge list (TSV a, b[, score], STRING, or a UniProt .dat with INTERACTION "
        + "blocks): train on random-walk contexts")
    static let initial = Option("init", "DIR", help: "start from this model folder (config.json + model.safetensors)")
    static let minScore = Option.number("min-score", "S", help: "drop graph edges scoring below S (STRING: 0-1000)")
}

public let trainJob = Job(
    name: "train",
    summary: "pretrain a protein language model (masked LM), or its PPI-graph second stage",
    options: [TrainOptions.config, TrainOptions.fasta, TrainOptions.out, TrainOptions.graph, TrainOptions.initial,
              TrainOptions.minScore] + TrainingRunOptions.all
) { options in
    let configURL = URL(fileURLWithPath: try options[TrainOptions.config])
    let initDir = try options[TrainOptions.initial]
    var config = try ProteinTrainingConfig(contentsOf: configURL, needsModel: initDir == nil)
    if let steps = try options[TrainingRunOptions.steps] { config.training.steps = steps }
    let fasta = try options[TrainOptions.fasta]
    let records = try ProteinFastaReader.readAll(fasta)
    let encoded = try records.map { try ProteinTokenizer.encode($0.residues) }
    let heldOut = records.indices.filter { isHeldOut(records[$0].id, fraction: config.data.holdoutFraction, seed: config.training.seed) }
    let heldOutSet = Set(heldOut)
    let trainIndices = records.indices.filter { !heldOutSet.contains($0) }

    let model = try buildModel(config: config, initDir: initDir, configPath: configURL.path)
    let masking = ResidueMasking(fraction: config.data.maskFraction)
    let sequences: [[Int32]]
    var description: String
    if let graphPath = try options[TrainOptions.graph] {
        guard initDir != nil else { throw UsageError("--graph trains the second stage: give --init DIR") }
        let edges = try InteractionEdges(contentsOf: graphPath, minScore: try options[TrainOptions.minScore])
        let graph = try InteractionGraph(edges: edges, names: ProteinNameIndex(ids: records.map(\.id)),
                                         restrictTo: Set(trainIndices), source: graphPath)
        print(graph.report.summary)
        let walks = config.data.walks.sample(graph, seed: config.training.seed)
        sequences = RandomWalks.contexts(walks, encoded: encoded, maxLength: config.data.maxLength)
        description = "\(walks.count) random-walk contexts over \(graph.nodes.count) proteins"
    } else {
        sequences = trainIndices.map { encoded[$0] }
        description = "\(sequences.count) proteins"
    }
    let data = try ProteinBatches(sequences: sequences, batchSize: config.data.batch, maxLength: config.data.maxLength,
                                  masking: masking, seed: config.training.seed)
    let out = URL(fileURLWithPath: try options[TrainOptions.out])
    let trainer = try Trainer(config: config.training, model: model, data: data, output: out) { batch, _ in
        maskedLoss(model, batch)
    }
    trainer.countTokens = { $0.lengths.reduce(0, +) }
    trainer.writeModel = { folder in try ModelDirectory.write(model, to: folder) }
    let evaluation = HeldOutEvaluation(sequences: heldOut.prefix(config.data.evalProteins).map { encoded[$0] },
                                       template: data, seed: config.training.seed)
    if !heldOut.isEmpty {
        trainer.evaluate = { _ in
            let score = evaluation.score(model)
            return ["heldout_loss": score.meanNats, "heldout_perplexity": score.perplexity]
        }
    }
    try TrainingRunOptions.apply(options, to: trainer)

    description += ", \(heldOut.count) proteins held out"
    print("training \(model.parameterCount) parameters on \(description) from \(fasta)")
    let outcome = try trainer.run()
    if !heldOut.isEmpty {
        let score = model.inferring { evaluation.score(model) }
        print(String(format: "held-out masked-LM perplexity %.3f (%.4f nats/token over %d masked residues of %d proteins)",
                     score.perplexity, score.meanNats, score.tokenCount, evaluation.sequences.count))
    }
    print(TrainingRunOptions.describe(outcome, output: out))
}

/// A proteins training config file: the model (LC-PLM config.json fields; not needed with
/// `--init`), the optimisation (`TrainingConfig`) and the data recipe.
public struct ProteinTrainingConfig {
    public struct DataRecipe: Codable, Equatable, Sendable {
        /// Proteins (or walk contexts) per micro-batch (default 8).
        public var batch: Int = 8
        /// Tokens per sequence; longer ones are randomly cropped (default 1024).
        public var maxLength: Int = 1024
        /// Fraction of proteins held out for perplexity, chosen by a seeded hash of the id (default 0.1).
        public var holdoutFraction: Double = 0.1
        /// Held-out proteins scored at each evaluation (default 500).
        public var evalProteins: Int = 500
        /// Fraction of residues chosen for prediction (default 0.15).
        public var maskFraction: Double = 0.15
        /// Graph stage: the random walks (`walk_length`, `walks_per_node`, `restart_probability`, `weighted`).
        public var walks = RandomWalks()

        enum CodingKeys: String, CodingKey {
            case batch, maxLength = "max_length", holdoutFraction = "holdout_fraction", evalProteins = "eval_proteins"
            case maskFraction = "mask_fraction", walks = "graph"
        }

        public init() {}

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            try c.fill(&batch, .batch)
            try c.fill(&maxLength, .maxLength)
            try c.fill(&evalProteins, .evalProteins)
            try c.fill(&holdoutFraction, .holdoutFraction)
            try c.fill(&maskFraction, .maskFraction)
            try c.fill(&walks, .walks)
            guard batch > 0, maxLength > 2, evalProteins >= 1, maskFraction > 0, maskFraction <= 1,
                  holdoutFraction >= 0, holdoutFraction < 1, walks.length >= 1, walks.walksPerNode >= 1,
                  walks.restartProbability >= 0, walks.restartProbability < 1 else {
                throw c.invalid("needs batch > 0, max_length > 2, eval_proteins >= 1, mask_fraction in (0, 1], "
                    + "holdout_fraction in [0, 1), graph.walk_length >= 1, graph.walks_per_node >= 1, restart_probability in [0, 1)")
            }
        }
    }

    /// The "model" section (nil when the file has none: the model then comes from `--init`).
    public let model: (any ModelConfig)?
    public var training: TrainingConfig
    public var data: DataRecipe

    public init(contentsOf url: URL, needsModel: Bool = true) throws {
        let file = try JobConfigFile(contentsOf: url)
        model = needsModel || file.contains("model") ? try file.model() : nil
        training = try file.training()
        data = try file.section("data", default: DataRecipe())
    }
}

/// Whether protein `id` is held out: a seeded FNV-1a hash of the id, so the split does not move
/// when proteins are added, removed or reordered.
public func isHeldOut(_ id: String, fraction: Double, seed: UInt64) -> Bool {
    guard fraction > 0 else { return false }
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325 ^ seed
    for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    hash ^= hash >> 33
    hash = hash &* 0xFF51_AFD7_ED55_8CCD
    hash ^= hash >> 33
    return Double(hash >> 11) / Double(1 << 53) < fraction
}

/// Mean cross-entropy over the labelled positions; the model sees each row's real length, so
/// padding cannot leak into a bidirectional scan.
public func maskedLoss(_ model: any LanguageModel, _ batch: MaskedBatch) -> Tensor {
    languageModelLoss(logits: model.logits(batch.ids, lengths: batch.lengths), labels: batch.labels, objective: .masked)
}

/// Masked-LM perplexity on held-out proteins with a fixed masking (the same generator seed at
/// every evaluation, so the numbers are comparable across steps).
public struct HeldOutEvaluation {
    public let sequences: [[Int32]]
    let template: ProteinBatches
    let seed: UInt64

    public init(sequences: [[Int32]], template: ProteinBatches, seed: UInt64) {
        self.sequences = sequences.sorted { $0.count < $1.count }
        self.template = template
        self.seed = seed
    }

    /// Summed nats and masked-token count over all held-out proteins.
    public func score(_ model: any LanguageModel) -> LanguageModelScore {
        var rng = RandomGenerator(seed: seed ^ 0x5EED_E7A1)
        var score = LanguageModelScore()
        for start in stride(from: 0, to: sequences.count, by: template.batchSize) {
            let batch = template.makeBatch(Array(sequences[start..<min(start + template.batchSize, sequences.count)]), rng: &rng)
            let count = batch.labelledCount
            guard count > 0 else { continue }
            score.add(nats: Double(maskedLoss(model, batch).item()) * Double(count), tokenCount: count)
        }
        return score
    }
}

/// The model to train: from `--init` or the config's "model" section. It must be a masked language
/// model (a bidirectional one: it reads each residue's context on both sides) over the protein vocabulary.
private func buildModel(config: ProteinTrainingConfig, initDir: String?, configPath: String) throws -> any LanguageModel {
    let model: any LanguageModel
    if let initDir {
        do { model = try ModelDirectory.load(URL(fileURLWithPath: initDir)) } catch {
            throw CommandError("\(initDir): cannot load the initial model (\(error))")
        }
    } else {
        do { model = try ModelRegistry.shared.build(config.model!, seed: config.training.seed) } catch {
            throw CommandError("\(configPath): model: \(error)")
        }
    }
    guard model.objective == .masked else {
        throw CommandError("\(initDir ?? configPath): proteins train needs a masked language model such as BiMamba-S (LC-PLM), "
            + "not a \(model.objective.rawValue) one")
    }
    if model.config.vocabSize < Int(ProteinTokenizer.vocabularySize) {
        throw CommandError("\(configPath): the model's vocab_size \(model.config.vocabSize) is smaller than the "
            + "protein vocabulary (\(ProteinTokenizer.vocabularySize))")
    }
    return model
}
