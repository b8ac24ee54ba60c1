import Foundation
import SequoiaKit

/// Interactions annotated in a UniProt/Swiss-Prot flat file: each entry's `CC   -!- INTERACTION:`
/// block lists partners as `CC       Q99750:MDFI; NbExp=4; IntAct=...;`. One edge per (entry's
/// primary accession, partner accession), scored by NbExp (the number of experiments); `Self`
/// names the entry itself.
enum SwissProtInteractions {
    /// Whether `text` is a flat file: its first non-empty line is an `ID   ` line.
    static func recognises(_ text: String) -> Bool {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.allSatisfy(\.isWhitespace) { continue }
            return trimmed.hasPrefix("ID   ")
        }
        return false
    }

    /// Every partner edge in file order; `source` names the file in errors.
    static func edges(text: String, source: String) throws -> [InteractionEdge] {
        var edges: [InteractionEdge] = []
        var accession: String?
        var inBlock = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.hasPrefix("ID   ") || line.hasPrefix("//") {
                accession = nil
                inBlock = false
            } else if line.hasPrefix("AC   ") {
                // The first accession of the first AC line is the primary one; later AC lines are secondary.
                if accession == nil {
                    let first = line.dropFirst(5).split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
                    guard let first, !first.isEmpty else {
                        throw CommandError("\(source):\(n + 1): AC line without an accession: \"\(line)\"")
                    }
                    accession = first
                }
            } else if line.hasPrefix("CC   -!- INTERACTION:") {
                guard accession != nil else {
                    throw CommandError("\(source):\(n + 1): INTERACTION block before the entry's AC line")
                }
                inBlock = true
            } else if inBlock && line.hasPrefix("CC       ") {
                edges.append(try partner(line.dropFirst(9), of: accession!, at: "\(source):\(n + 1)"))
            } else {
                inBlock = false
            }
        }
        return edges
    }

    /// Parses `Q99750:MDFI; NbExp=4; IntAct=EBI-745213, EBI-724076;` (or `Self; NbExp=...`).
    private static func partner(_ body: Substring, of accession: String, at place: String) throws -> InteractionEdge {
        let fields = body.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let name = fields.first.map { $0.split(separator: ":", maxSplits: 1).first.map(String.init) ?? "" } ?? ""
        guard !name.isEmpty, !name.contains(" ") else {
            throw CommandError("\(place): expected \"ACCESSION:NAME; NbExp=N; ...\" in the INTERACTION block, got \"\(body)\"")
        }
        guard let nb = fields.first(where: { $0.hasPrefix("NbExp=") }), let count = Double(nb.dropFirst(6)),
              count.isFinite, count >= 0 else {
            throw CommandError("\(place): interaction with \(name) lacks a numeric NbExp=")
        }
        return InteractionEdge(a: accession, b: name == "Self" ? accession : name, score: count)
    }
}
