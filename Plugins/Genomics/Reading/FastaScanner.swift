import Foundation
import SequoiaKit

/// Reads a FASTA file front to back (plain, gzip or bgzip, through the kit's `LineReader`), validating every line.
/// Used to check a file before faidx indexes it, and to load plain gzip files that faidx cannot index.
struct FastaScanner {
    struct Record { var name: String; var length: Int; var headerLine: Int }

    let path: String
    /// faidx needs every line of a record but its last to hold the same number of letters.
    let requireEvenLines: Bool
    /// Keep the folded letters (for in-memory use), failing past `limit` bytes.
    let keepLetters: Bool
    let limit: Int

    private(set) var records: [Record] = []
    private(set) var letters: [UInt8] = []
    private var firstLine: [String: Int] = [:]
    private var lineNumber = 0
    private var lineBases = 0
    /// The first line of the current record shorter than its first line (or blank).
    private var shortLine: Int?

    init(path: String, requireEvenLines: Bool, keepLetters: Bool, limit: Int = Int.max) {
        self.path = path; self.requireEvenLines = requireEvenLines; self.keepLetters = keepLetters; self.limit = limit
    }

    /// Reads the whole file; throws the first problem found.
    mutating func run() throws {
        let reader: LineReader
        do { reader = try LineReader(path) } catch { throw Self.failure(error, path: path, line: nil) }
        do {
            while try reader.next({ try line($0) }) != nil {}
        } catch let error as CompressedFile.Failure {
            throw Self.failure(error, path: path, line: reader.lineNumber + 1)
        }
        try finishRecord()
        if records.isEmpty { throw FastaError(path, .emptyFile) }
    }

    static func failure(_ error: CompressedFile.Failure, path: String, line: Int?) -> FastaError {
        switch error {
        case .cannotOpen(let reason): return FastaError(path, .cannotOpen(reason))
        case .truncated: return FastaError(path, line: line, .truncated)
        }
    }

    private mutating func line(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        lineNumber += 1
        if bytes.isEmpty {
            if !records.isEmpty && shortLine == nil { shortLine = lineNumber }
            return
        }
        if bytes[0] == UInt8(ascii: ">") { return try header(bytes) }
        guard !records.isEmpty else {
            let shown = String(decoding: bytes.prefix(24).map { (32..<127).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
            throw FastaError(path, line: lineNumber, .notFasta(found: shown))
        }
        try sequence(bytes)
    }

    private mutating func header(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        try finishRecord()
        let nameBytes = bytes.dropFirst().prefix { $0 != 0x20 && $0 != 0x09 }
        let name = String(decoding: nameBytes, as: UTF8.self)
        guard !name.isEmpty else { throw FastaError(path, line: lineNumber, .emptyName) }
        if let first = firstLine[name] {
            throw FastaError(path, record: name, line: lineNumber, .duplicateName(firstLine: first))
        }
        firstLine[name] = lineNumber
        records.append(Record(name: name, length: 0, headerLine: lineNumber))
        lineBases = 0
        shortLine = nil
    }

    private mutating func sequence(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        let r = records.count - 1
        if let bad = NucleotideAlphabet.fold(bytes.baseAddress!, count: bytes.count, into: nil) {
            throw FastaError(path, record: records[r].name, line: lineNumber,
                             .invalidCharacter(bytes[bad], position: records[r].length + bad,
                                                allowed: NucleotideAlphabet.allowed))
        }
        if requireEvenLines {
            if let shortLine {
                throw FastaError(path, record: records[r].name, line: lineNumber, .lineAfterShortLine(shortLine: shortLine))
            }
            if lineBases == 0 { lineBases = bytes.count }
            if bytes.count > lineBases {
                throw FastaError(path, record: records[r].name, line: lineNumber,
                                 .unevenLines(bases: bytes.count, expected: lineBases))
            }
            if bytes.count < lineBases { shortLine = lineNumber }
        }
        if keepLetters {
            guard letters.count + bytes.count <= limit else { throw FastaError(path, .needsBgzip(limit: limit)) }
            let base = letters.count
            letters.append(contentsOf: bytes)
            letters.withUnsafeMutableBufferPointer { out in
                _ = NucleotideAlphabet.fold(out.baseAddress! + base, count: bytes.count, into: out.baseAddress! + base)
            }
        }
        records[r].length += bytes.count
    }

    private func finishRecord() throws {
        guard let last = records.last, last.length == 0 else { return }
        throw FastaError(path, record: last.name, line: last.headerLine, .noSequence)
    }
}
