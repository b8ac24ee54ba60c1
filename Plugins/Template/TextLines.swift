import SequoiaKit

/// The non-empty lines of a text file (plain, gzip or bgzip) as token ids: byte b is id b + 1, and
/// 0 pads. A line longer than `maxLength` bytes keeps its first `maxLength`.
public struct TextLines {
    public static let pad: Int32 = 0
    public static let vocabularySize = 257

    public let path: String
    public let lines: [[Int32]]
    /// Each kept line's number in the file, for messages.
    public let lineNumbers: [Int]

    public init(_ path: String, maxLength: Int) throws {
        let reader: LineReader
        do { reader = try LineReader(path) } catch { throw CommandError("\(path): cannot read (\(error))") }
        var lines: [[Int32]] = [], numbers: [Int] = []
        do {
            while let line = try reader.next({ bytes in bytes.prefix(maxLength).map { Int32($0) + 1 } }) {
                if line.isEmpty { continue }
                lines.append(line)
                numbers.append(reader.lineNumber)
            }
        } catch {
            throw CommandError("\(path) line \(reader.lineNumber + 1): \(error)")
        }
        guard !lines.isEmpty else { throw CommandError("\(path): no non-empty line") }
        self.path = path
        self.lines = lines
        lineNumbers = numbers
    }

    /// `rows` right-padded into ids [B, longest], with each row's length.
    public static func batch(_ rows: [[Int32]]) -> (ids: [Int32], shape: [Int], lengths: [Int]) {
        let width = rows.map(\.count).max() ?? 0
        var ids = [Int32](repeating: pad, count: rows.count * width)
        for (r, row) in rows.enumerated() { ids.replaceSubrange(r * width ..< r * width + row.count, with: row) }
        return (ids, [rows.count, width], rows.map(\.count))
    }
}
