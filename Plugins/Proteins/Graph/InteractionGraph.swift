import SequoiaKit

/// A PPI graph over the proteins that have sequences: undirected, score-weighted adjacency, with a
/// count of what could not be used.
public struct InteractionGraph {
    /// What mapping the edge list to sequences kept and dropped.
    public struct Report: Equatable, Sendable {
        public var edgesRead = 0
        /// Edges below `--min-score` (not in `edgesRead`).
        public var edgesBelowThreshold = 0
        /// Edges with an endpoint that has no sequence.
        public var edgesUnmapped = 0
        /// Edges from a node to itself.
        public var selfLoops = 0
        /// Edges touching a protein outside `restrictTo` (held out).
        public var edgesOutsideSet = 0
        public var usableEdges = 0
        public var nodes = 0
        public var mappedNodes = 0
        /// Node names with no sequence, in first-seen order.
        public var unmappedNodes: [String] = []

        /// One line for the user.
        public var summary: String {
            "graph: \(edgesRead) edges (\(edgesBelowThreshold) below the score threshold), \(nodes) nodes, "
                + "\(mappedNodes) with a sequence, \(unmappedNodes.count) without (skipped), "
                + "\(edgesUnmapped) edges naming them skipped, \(edgesOutsideSet) touching held-out proteins, "
                + "\(usableEdges) usable edges"
        }
    }

    /// Neighbours of each protein (indices into the sequence records) with their edge scores.
    public let neighbours: [Int: [(node: Int, weight: Double)]]
    public let report: Report

    /// Maps `edges` onto proteins through `names`; throws when no edge joins two proteins with
    /// sequences. `restrictTo` (record indices) drops edges leaving that set (e.g. held-out proteins).
    public init(edges: InteractionEdges, names: ProteinNameIndex, restrictTo allowed: Set<Int>? = nil, source: String) throws {
        var report = Report()
        report.edgesRead = edges.edges.count
        report.edgesBelowThreshold = edges.belowThreshold
        var mapped: [String: Int] = [:], unmapped = Set<String>()
        for name in edges.nodeNames {
            report.nodes += 1
            if let i = names.lookup(name) {
                mapped[name] = i
                report.mappedNodes += 1
            } else {
                unmapped.insert(name)
                report.unmappedNodes.append(name)
            }
        }
        var weights: [Int: [Int: Double]] = [:]
        for e in edges.edges {
            guard let a = mapped[e.a], let b = mapped[e.b] else {
                report.edgesUnmapped += 1
                continue
            }
            if let allowed, !allowed.contains(a) || !allowed.contains(b) {
                report.edgesOutsideSet += 1
                continue
            }
            guard a != b else {
                report.selfLoops += 1
                continue
            }
            // A pair listed twice (both directions, as STRING does) keeps its best score.
            weights[a, default: [:]][b] = max(weights[a]?[b] ?? 0, e.score)
            weights[b, default: [:]][a] = max(weights[b]?[a] ?? 0, e.score)
        }
        report.usableEdges = weights.values.reduce(0) { $0 + $1.count } / 2
        guard report.usableEdges > 0 else {
            let example = report.unmappedNodes.prefix(3).joined(separator: ", ")
            throw CommandError("\(source): no usable edge: \(report.unmappedNodes.count) of \(report.nodes) nodes have no "
                + "sequence in the FASTA (e.g. \(example.isEmpty ? "none" : example)); \(report.edgesRead) edges read, "
                + "\(report.edgesBelowThreshold) below the score threshold")
        }
        self.report = report
        neighbours = weights.mapValues { $0.map { (node: $0.key, weight: $0.value) }.sorted { $0.node < $1.node } }
    }

    /// Proteins with at least one usable edge, ascending.
    public var nodes: [Int] { neighbours.keys.sorted() }
}
