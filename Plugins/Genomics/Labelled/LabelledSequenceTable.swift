import Foundation
import SequoiaKit

/// What one labelled row holds: a nucleotide sequence, or a region of a reference to read it from.
public enum LabelledInput: Equatable, Sendable {
    /// The sequence's letters as written (A C G T N and the IUPAC ambiguity codes, either case).
    case sequence(String)
    /// A BED-style region: 0-based `start`, exclusive `end`.
    case region(chrom: String, start: Int, end: Int)
}

/// One row of a labelled table.
public struct LabelledExample: Equatable, Sendable {
    public let input: LabelledInput
    /// Class index into the table's `classNames`.
    public let label: Int
    /// The row's 1-based line in the file, for messages about it later.
    public let line: Int
}

/// A CSV or TSV of (sequence or region, label) rows for sequence classification.
///
/// The header names the columns: a sequence column (default `sequence`) or, when it has none, region columns
/// (default `chrom`, `start`, `end`), plus a label column (default `label`); other columns are ignored. Label
/// strings become class indices in sorted order. The delimiter is a tab for `.tsv`/`.tab` files, a comma for
/// `.csv`, and otherwise a tab when the header line has one.
public struct LabelledSequenceTable: Sendable {
    /// Letters a sequence may contain: nucleotides, N and the IUPAC ambiguity codes (the tokenizer maps those to N).
    public static let validLetters = Set("ACGTNRYSWKMBDHVacgtnryswkmbdhv".utf8)

    /// The file read.
    public let path: String
    /// The rows, in file order.
    public let examples: [LabelledExample]
    /// Label strings by class index (sorted).
    public let classNames: [String]

    /// Class index of every example, in file order.
    public var labels: [Int] { examples.map(\.label) }

    /// Reads and checks the table at `path`; throws `TableError` naming the file, line and column.
    public init(path: String, sequenceColumn: String = "sequence", labelColumn: String = "label",
                regionColumns: (chrom: String, start: String, end: String) = ("chrom", "start", "end")) throws {
        let table = try CSVTable.read(path)
        func column(_ name: String) -> Int? { table.header.firstIndex(of: name) }

        guard let labelIndex = column(labelColumn) else {
            throw TableError(file: path, line: 1, column: labelColumn, message: "missing from the header")
        }
        let sequenceIndex = column(sequenceColumn)
        let regionIndices = [regionColumns.chrom, regionColumns.start, regionColumns.end].map(column)
        if sequenceIndex == nil && regionIndices.contains(nil) {
            let missing = regionIndices.contains { $0 != nil }
                ? [regionColumns.chrom, regionColumns.start, regionColumns.end][regionIndices.firstIndex(of: nil)!]
                : sequenceColumn
            throw TableError(file: path, line: 1, column: missing, message:
                "missing from the header (need '\(sequenceColumn)' or '\(regionColumns.chrom)', '\(regionColumns.start)', '\(regionColumns.end)')")
        }
        guard !table.rows.isEmpty else { throw TableError(file: path, line: 0, message: "no rows after the header") }

        var parsed: [(input: LabelledInput, label: String, line: Int)] = []
        for (fields, line) in zip(table.rows, table.lineNumbers) {
            func fail(_ name: String, _ message: String) -> TableError {
                TableError(file: path, line: line, column: name, message: message)
            }
            let label = fields[labelIndex].trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { throw fail(labelColumn, "empty label") }
            let input: LabelledInput
            if let sequenceIndex {
                let sequence = fields[sequenceIndex].trimmingCharacters(in: .whitespaces)
                guard !sequence.isEmpty else { throw fail(sequenceColumn, "empty sequence") }
                if let bad = sequence.utf8.firstIndex(where: { !Self.validLetters.contains($0) }) {
                    let position = sequence.utf8.distance(from: sequence.utf8.startIndex, to: bad) + 1
                    let letter = sequence[bad...].first.map(String.init) ?? "?"
                    throw fail(sequenceColumn, "invalid letter '\(letter)' at position \(position)")
                }
                input = .sequence(sequence)
            } else {
                let (c, s, e) = (regionIndices[0]!, regionIndices[1]!, regionIndices[2]!)
                let chrom = fields[c].trimmingCharacters(in: .whitespaces)
                guard !chrom.isEmpty else { throw fail(regionColumns.chrom, "empty name") }
                guard let start = Int(fields[s].trimmingCharacters(in: .whitespaces)), start >= 0 else {
                    throw fail(regionColumns.start, "'\(fields[s])' is not a non-negative integer")
                }
                guard let end = Int(fields[e].trimmingCharacters(in: .whitespaces)), end > start else {
                    throw fail(regionColumns.end, "'\(fields[e])' is not an integer above start \(start)")
                }
                input = .region(chrom: chrom, start: start, end: end)
            }
            parsed.append((input, label, line))
        }

        classNames = Set(parsed.map(\.label)).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        examples = parsed.map { LabelledExample(input: $0.input, label: classIndex[$0.label]!, line: $0.line) }
        self.path = path
    }

    /// A deterministic stratified split of the rows (see `StratifiedSplit`).
    public func split(heldOutFraction: Double, seed: UInt64) -> (train: [Int], heldOut: [Int]) {
        StratifiedSplit.trainTest(labels: labels, heldOutFraction: heldOutFraction, seed: seed)
    }
}
