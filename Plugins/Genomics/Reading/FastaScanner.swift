import CHTSlib
import Foundation
import SequoiaKit

/// Reads a FASTA file front to back (plain, gzip or bgzip, through htslib's BGZF reader), validating every line.
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
    mutating func run() throws { try quietHtslib { try scan() } }

    private mutating func scan() throws {
        guard let fp = bgzf_open(path, "r") else {
            throw FastaError(path, .cannotOpen(String(cString: strerror(errno))))
        }
        defer { bgzf_close(fp) }
        // A bgzip file cut at a block boundary still decompresses; only the missing EOF block tells.
        if bgzf_compression(fp) == 2, bgzf_check_EOF(fp) == 0 { throw FastaError(path, .truncated) }

        let chunk = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        var pending: [UInt8] = []
        while true {
            let n = bgzf_read(fp, buffer, chunk)
            if n < 0 { throw FastaError(path, line: lineNumber + 1, .truncated) }
            if n == 0 { break }
            var start = 0
            while start < n {
                guard let nl = memchr(buffer + start, 0x0A, n - start) else {
                    pending.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: n - start))
                    break
                }
                let end = UnsafeRawPointer(nl) - UnsafeRawPointer(buffer)
                if pending.isEmpty {
                    try line(UnsafeBufferPointer(start: buffer + start, count: end - start))
                } else {
                    pending.append(contentsOf: UnsafeBufferPointer(start: buffer + start, count: end - start))
                    try pending.withUnsafeBufferPointer { try line($0) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
        }
        if !pending.isEmpty { try pending.withUnsafeBufferPointer { try line($0) } }
        try finishRecord()
        if records.isEmpty { throw FastaError(path, .emptyFile) }
    }

    private mutating func line(_ raw: UnsafeBufferPointer<UInt8>) throws {
        lineNumber += 1
        var count = raw.count
        if count > 0, raw[count - 1] == 0x0D { count -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: raw[0..<count])
        if count == 0 {
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
