import Foundation
import SequoiaKit

/// One protein-protein interaction: two node names and a score (1 when the file has none).
public struct InteractionEdge: Equatable, Sendable {
    public var a: String
    public var b: String
    public var score: Double

    public init(a: String, b: String, score: Double = 1) {
        self.a = a
        self.b = b
        self.score = score
    }
}

/// An edge list: TSV `protein_a<TAB>protein_b[<TAB>score]`, or STRING's space-separated
/// `protein1 protein2 combined_score` with its header. A first line whose score column is not a
/// number, or that starts with a known column name, is a header. Blank lines and `#` comments
/// are skipped. A UniProt/Swiss-Prot flat file (first line `ID   `) gives its INTERACTION
/// annotations instead, scored by the number of experiments (NbExp).
public struct InteractionEdges {
    public private(set) var edges: [InteractionEdge] = []
    /// Edges dropped for a score under the threshold.
    public private(set) var belowThreshold = 0

    private static let headerNames: Set<String> = ["protein1", "protein_a", "proteina", "node1", "source", "from", "gene1",
                                                   "interactor_a", "#node1"]

    /// Reads `path`, keeping edges whose score is at least `minScore` (STRING scores run 0...1000).
    public init(contentsOf path: String, minScore: Double? = nil) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandError("\(path): cannot read the edge list")
        }
        try self.init(text: text, source: path, minScore: minScore)
    }

    /// Parses edge-list text; `source` names it in errors.
    public init(text: String, source: String, minScore: Double? = nil) throws {
        if SwissProtInteractions.recognises(text) {
            for edge in try SwissProtInteractions.edges(text: text, source: source) {
                if let minScore, edge.score < minScore { belowThreshold += 1 } else { edges.append(edge) }
            }
            return
        }
        var first = true
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") && !first { continue }
            let fields = line.contains("\t") ? line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                                             : line.split(separator: " ").map(String.init)
            if fields.isEmpty { continue }
            defer { first = false }
            if first && (Self.headerNames.contains(fields[0].lowercased()) || (fields.count >= 3 && Double(fields[2]) == nil)) {
                continue
            }
            if line.hasPrefix("#") { continue }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw CommandError("\(source):\(n + 1): expected protein_a, protein_b[, score], got \"\(line)\"")
            }
            var score = 1.0
            if fields.count >= 3 {
                guard let s = Double(fields[2]), s.isFinite, s >= 0 else {
                    throw CommandError("\(source):\(n + 1): score \"\(fields[2])\" is not a non-negative number")
                }
                score = s
            }
            if let minScore, score < minScore {
                belowThreshold += 1
                continue
            }
            edges.append(InteractionEdge(a: fields[0], b: fields[1], score: score))
        }
    }

    /// Every node name, in first-seen order.
    public var nodeNames: [String] {
        var seen = Set<String>(), names: [String] = []
        for e in edges {
            for n in [e.a, e.b] where seen.insert(n).inserted { names.append(n) }
        }
        return names
    }
}
