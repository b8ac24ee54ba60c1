import Foundation
import SequoiaKit

/// The proteins an `--ids` file asks for: one id per line, in the file's order; blank lines and `#` comments
/// (whole lines or line ends) are skipped. Each id keeps its line number for errors.
public struct ProteinIdList {
    /// One requested id and the line it is on.
    public struct Entry: Equatable, Sendable {
        public let id: String
        public let line: Int
    }

    public let path: String
    public let entries: [Entry]

    /// Reads `path`; a line holding more than one word, or a file without any id, is a one-line `CommandError`.
    public init(contentsOf path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CommandError("\(path): cannot read the ids file (\(error.localizedDescription))")
        }
        var entries: [Entry] = []
        for (n, raw) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let text = raw.prefix { $0 != UInt8(ascii: "#") }
            let words = text.split { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if words.isEmpty { continue }
            guard words.count == 1 else {
                throw CommandError("\(path) line \(n + 1): expected one id, found \(words.count) words (\"\(String(decoding: text, as: UTF8.self))\")")
            }
            entries.append(Entry(id: String(decoding: words[0], as: UTF8.self), line: n + 1))
        }
        guard !entries.isEmpty else { throw CommandError("\(path): no ids (only blank lines and # comments)") }
        self.path = path
        self.entries = entries
    }

    /// The record numbers in `fasta` of the listed ids, in list order; an id it lacks, or two lines naming
    /// one protein, is a `CommandError` naming this file and the line.
    public func recordIndices(in fasta: IndexedProteinFasta) throws -> [Int] {
        var firstLine: [Int: Int] = [:]
        return try entries.map { entry in
            guard let index = fasta.recordIndex(named: entry.id) else {
                throw CommandError("\(path) line \(entry.line): id '\(entry.id)' is not in \(fasta.path)")
            }
            if let first = firstLine.updateValue(entry.line, forKey: index) {
                throw CommandError("\(path) line \(entry.line): '\(entry.id)' names the same protein ('\(fasta.ids[index])') as line \(first)")
            }
            return index
        }
    }
}
