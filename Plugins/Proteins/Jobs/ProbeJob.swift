import Foundation
import SequoiaKit

/// `sequoia proteins probe`: a linear probe (cross-validated L2 logistic regression) on the mean embeddings
/// of an `embed` HDF5 file against a labels CSV, scored on a stratified held-out split.
enum ProbeOptions {
    static let embeddings = Option("embeddings", "FILE.h5", help: "HDF5 file written by `proteins embed` (/ids, /mean [N, D])").required
    static let labels = Option("labels", "CSV", help: "CSV with a header, one row per protein").required
    static let idColumn = Option("id-column", "NAME", help: "CSV column holding the protein id").defaulting(to: "id")
    static let labelColumn = Option("label-column", "NAME", help: "CSV column holding the label").defaulting(to: "label")
    static let heldOut = Option.number("held-out", "FRACTION", help: "share of each class kept out of fitting for scoring")
        .checked("strictly between 0 and 1") { $0 > 0 && $0 < 1 }.defaulting(to: 0.2)
    static let seed = Option.seed(help: "seed of the split and the cross-validation folds").defaulting(to: 0)
    static let json = Flag("json", help: "print the report as JSON")
}

public let probeJob = Job(
    name: "probe",
    summary: "fit a logistic-regression probe on mean embeddings against labels; report held-out accuracy and macro F1",
    options: [ProbeOptions.embeddings, ProbeOptions.labels, ProbeOptions.idColumn, ProbeOptions.labelColumn,
              ProbeOptions.heldOut, ProbeOptions.seed, ProbeOptions.json],
    run: { options in
        let report = try ProbeReport.evaluate(embeddings: try options[ProbeOptions.embeddings], labels: try options[ProbeOptions.labels],
                                              idColumn: try options[ProbeOptions.idColumn], labelColumn: try options[ProbeOptions.labelColumn],
                                              heldOut: try options[ProbeOptions.heldOut], seed: try options[ProbeOptions.seed])
        print(options[ProbeOptions.json] ? report.json : report.table)
    }
)

/// What `proteins probe` measured.
public struct ProbeReport: Codable, Sendable {
    public var classes: [String]
    public var embeddedProteins: Int
    public var labelledProteins: Int
    /// Embedded ids with no row in the labels CSV, and CSV ids with no embedding.
    public var embeddingsWithoutLabel: Int
    public var labelsWithoutEmbedding: Int
    public var trainCount: Int
    public var heldOutCount: Int
    /// L2 strength picked by cross-validation on the training part.
    public var l2: Double
    public var accuracy: Double
    public var macroF1: Double
    /// Predicting the training part's most common class for every held-out protein.
    public var majorityAccuracy: Double
    public var majorityMacroF1: Double

    /// Joins /ids + /mean of `embeddings` with the labels CSV by id, splits stratified by `seed`, fits the probe
    /// on the training part and scores it on the held-out part.
    public static func evaluate(embeddings: String, labels: String, idColumn: String = "id", labelColumn: String = "label",
                                heldOut: Double = 0.2, seed: UInt64 = 0) throws -> ProbeReport {
        let (ids, mean, columns) = try readMeans(embeddings)
        let table = try CSVTable.read(labels)
        let idIndex = try table.columnIndex(idColumn), labelIndex = try table.columnIndex(labelColumn)
        var labelOf: [String: String] = [:]
        for (row, line) in zip(table.rows, table.lineNumbers) {
            let id = row[idIndex], label = row[labelIndex]
            guard !id.isEmpty else { throw CommandError("\(labels):\(line): empty \(idColumn)") }
            guard !label.isEmpty else { throw CommandError("\(labels):\(line): empty \(labelColumn) for '\(id)'") }
            if let seen = labelOf[id], seen != label {
                throw CommandError("\(labels):\(line): '\(id)' is labelled both '\(seen)' and '\(label)'")
            }
            labelOf[id] = label
        }
        let embeddedIds = Set(ids)
        let joined = ids.indices.filter { labelOf[ids[$0]] != nil }
        let classes = Set(joined.map { labelOf[ids[$0]]! }).sorted()
        guard classes.count >= 2 else {
            throw CommandError("\(labels): \(joined.count) protein(s) match the embeddings, with \(classes.count) distinct label(s); a probe needs at least 2")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let y = joined.map { classIndex[labelOf[ids[$0]]!]! }
        let x = LogisticRegression.gather(mean, joined, columns)
        let (train, test) = StratifiedSplit.trainTest(labels: y, heldOutFraction: heldOut, seed: seed)
        guard !train.isEmpty, !test.isEmpty else {
            throw CommandError("\(labels): too few labelled proteins (\(joined.count)) to hold out a test part")
        }
        let trainY = train.map { y[$0] }, testY = test.map { y[$0] }
        let smallestClass = (0..<classes.count).map { c in trainY.filter { $0 == c }.count }.filter { $0 > 0 }.min() ?? 1
        let (model, _) = LogisticRegression.crossValidated(
            features: LogisticRegression.gather(x, train, columns), rows: train.count, columns: columns,
            labels: trainY, classCount: classes.count, folds: min(5, max(2, smallestClass)), seed: seed)
        let predicted = model.predict(features: LogisticRegression.gather(x, test, columns), rows: test.count)
        let scored = ConfusionMatrix(truth: testY, predicted: predicted, classCount: classes.count)
        let counts = (0..<classes.count).map { c in trainY.filter { $0 == c }.count }
        let majority = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        let baseline = ConfusionMatrix(truth: testY, predicted: testY.map { _ in majority }, classCount: classes.count)
        return ProbeReport(classes: classes, embeddedProteins: ids.count, labelledProteins: labelOf.count,
                           embeddingsWithoutLabel: ids.count - joined.count,
                           labelsWithoutEmbedding: labelOf.keys.filter { !embeddedIds.contains($0) }.count,
                           trainCount: train.count, heldOutCount: test.count, l2: model.l2,
                           accuracy: scored.accuracy, macroF1: scored.macroF1,
                           majorityAccuracy: baseline.accuracy, majorityMacroF1: baseline.macroF1)
    }

    private static func readMeans(_ path: String) throws -> (ids: [String], mean: [Float], columns: Int) {
        do {
            let file = try HDF5File.openReadOnly(path)
            defer { try? file.close() }
            let ids = try file.root.dataset("ids").readStrings()
            let dataset = try file.root.dataset("mean")
            let shape = try dataset.shape()
            guard shape.count == 2, shape[0] == ids.count, shape[1] > 0 else {
                throw CommandError("\(path): /mean has shape \(shape), expected [\(ids.count), D] to match /ids")
            }
            var seen = Set<String>()
            for id in ids where !seen.insert(id).inserted { throw CommandError("\(path): duplicate id '\(id)' in /ids") }
            return (ids, try dataset.readFloat32(), shape[1])
        } catch let error as CommandError {
            throw error
        } catch {
            throw CommandError("\(error)")
        }
    }

    /// The report as pretty-printed JSON with sorted keys.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// The report as an aligned text table.
    public var table: String {
        func f(_ v: Double) -> String { String(format: "%.4f", v) }
        return """
        proteins: \(embeddedProteins) embedded, \(labelledProteins) labelled; \(embeddingsWithoutLabel) embedding(s) without a label, \(labelsWithoutEmbedding) label(s) without an embedding
        classes: \(classes.count) (\(classes.prefix(10).joined(separator: ", "))\(classes.count > 10 ? ", ..." : ""))
        split: \(trainCount) train, \(heldOutCount) held out; L2 \(l2) (cross-validated)

                           accuracy  macro F1
        probe                \(f(accuracy))    \(f(macroF1))
        majority class       \(f(majorityAccuracy))    \(f(majorityMacroF1))
        """
    }
}
