import Foundation
import SequoiaKit

/// Streams protein records from a plain, gzip or bgzip FASTA file (the kit's `LineReader`), validating
/// as it goes, so only the current record is held in memory.
///
/// Letters are checked by `ProteinResidues`; a bad letter, a record without residues, or an id seen
/// before is a `FastaError` naming file, line and record.
public final class ProteinFastaReader {
    public let path: String
    private let lines: LineReader
    /// A header line read while finishing the previous record: the next record's start.
    private var pendingHeader: (line: Int, text: [UInt8])?
    private var firstLine: [String: Int] = [:]
    private var started = false

    /// Opens `path`; throws when it cannot be opened or its compressed data is truncated.
    public init(_ path: String) throws {
        self.path = path
        do {
            lines = try LineReader(path)
        } catch .cannotOpen(let reason) {
            throw FastaError(path, .cannotOpen(reason))
        } catch {
            throw FastaError(path, .truncated)
        }
    }

    /// The next record, or nil at the end of the file.
    public func next() throws -> ProteinRecord? {
        let header: (line: Int, text: [UInt8])
        if let pendingHeader {
            header = pendingHeader
            self.pendingHeader = nil
        } else {
            while true {
                guard let line = try readLine() else {
                    if !started { throw FastaError(path, .emptyFile) }
                    return nil
                }
                if line.isEmpty { continue }
                guard line[0] == UInt8(ascii: ">") else {
                    let shown = String(decoding: line.prefix(24).map { (32..<127).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
                    throw FastaError(path, line: lines.lineNumber, .notFasta(found: shown))
                }
                header = (lines.lineNumber, line)
                break
            }
        }
        started = true
        let text = String(decoding: header.text.dropFirst(), as: UTF8.self)
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        let id = String(trimmed.prefix(while: { $0 != " " && $0 != "\t" }))
        guard !id.isEmpty else { throw FastaError(path, line: header.line, .emptyName) }
        let description = String(trimmed.dropFirst(id.count).drop(while: { $0 == " " || $0 == "\t" }))
        if let first = firstLine.updateValue(header.line, forKey: id) {
            throw FastaError(path, record: id, line: header.line, .duplicateName(firstLine: first))
        }

        var residues = ProteinResidues(path: path, id: id)
        while let line = try readLine() {
            if line.first == UInt8(ascii: ">") { pendingHeader = (lines.lineNumber, line); break }
            try residues.add(line, line: lines.lineNumber)
        }
        return ProteinRecord(id: id, accession: ProteinRecord.uniProtAccession(id), description: description,
                             residues: try residues.finish(headerLine: header.line))
    }

    /// Reads every record, handing each to `body` (nothing is kept).
    public func forEach(_ body: (ProteinRecord) throws -> Void) throws {
        while let record = try next() { try body(record) }
    }

    /// Every record of `path`, for inputs small enough to hold (training sets); embedding
    /// streams with `next()` instead.
    public static func readAll(_ path: String) throws -> [ProteinRecord] {
        var records: [ProteinRecord] = []
        try ProteinFastaReader(path).forEach { records.append($0) }
        return records
    }

    /// The next line as bytes, or nil at the end of the file.
    private func readLine() throws -> [UInt8]? {
        do {
            return try lines.next { Array($0) }
        } catch is CompressedFile.Failure {
            // Reading an open file can only fail on a truncated or corrupt stream.
            throw FastaError(path, line: lines.lineNumber + 1, .truncated)
        }
    }
}
