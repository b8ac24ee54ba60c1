import Foundation
import SequoiaKit
import SequoiaNN

/// Timelines to token ids: [BEGIN], then per event its code (or `CODE//Qn` for a binned numeric value),
/// with a time token before any event at least a day after the previous one. Fitted on training
/// timelines and saved with the model.
///
/// Ids: 0 [PAD], 1 [UNK], 2 [BEGIN], then the time tokens, then per kept code (sorted) its plain token
/// followed by its value bins.
public struct TimelineTokenizer: Codable, Equatable, Sendable {
    public static let pad: Int32 = 0, unknown: Int32 = 1, begin: Int32 = 2
    /// The file name a tokenizer is saved under when `save(to:)` is given a folder.
    public static let fileName = "tokenizer.json"

    public let options: TimelineTokenizerOptions
    /// Kept codes, sorted.
    private let codes: [String]
    /// Bin edges of the codes with numeric values in training.
    private let numericEdges: [String: [Double]]
    /// Derived from the above: every token's text by id, and each code's ids.
    private let tokens: [String]
    private let table: [String: CodeIDs]
    private let timeBase: Int32

    private struct CodeIDs: Equatable, Sendable {
        let plain: Int32
        /// Whether the code's values have bin tokens (it had values in training), and the bins' edges.
        let binned: Bool
        let edges: [Double]
    }

    /// Fits the vocabulary (codes seen at least `min_count` times) and each code's value bins on `timelines`.
    public static func fit(_ timelines: [Timeline], options: TimelineTokenizerOptions) -> TimelineTokenizer {
        var counts: [String: Int] = [:]
        var values: [String: [Double]] = [:]
        for timeline in timelines {
            for event in timeline.events {
                counts[event.code, default: 0] += 1
                if options.numericBins > 1, let value = event.numericValue, value.isFinite { values[event.code, default: []].append(value) }
            }
        }
        let codes = counts.filter { $0.value >= options.minCount }.map(\.key).sorted()
        var edges: [String: [Double]] = [:]
        for code in codes {
            if let v = values[code] { edges[code] = NumericBins.edges(v, bins: options.numericBins) }
        }
        return TimelineTokenizer(options: options, codes: codes, numericEdges: edges)
    }

    private init(options: TimelineTokenizerOptions, codes: [String], numericEdges: [String: [Double]]) {
        self.options = options
        self.codes = codes
        self.numericEdges = numericEdges
        var tokens = ["[PAD]", "[UNK]", "[BEGIN]"]
        timeBase = Int32(tokens.count)
        tokens += options.timeTokenNames
        var table: [String: CodeIDs] = [:]
        table.reserveCapacity(codes.count)
        for code in codes {
            let plain = Int32(tokens.count)
            tokens.append(code)
            let edges = numericEdges[code]
            if let edges { tokens += (1...(edges.count + 1)).map { "\(code)//Q\($0)" } }
            table[code] = CodeIDs(plain: plain, binned: edges != nil, edges: edges ?? [])
        }
        self.tokens = tokens
        self.table = table
    }

    public var vocabularySize: Int { tokens.count }

    /// The token's text (for reports and debugging).
    public func token(_ id: Int32) -> String {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : "[? \(id)]"
    }

    /// The id of one event's token: its code's value bin, its plain code, or [UNK].
    public func id(of event: MEDSEvent) -> Int32 {
        guard let ids = table[event.code] else { return Self.unknown }
        if ids.binned, let value = event.numericValue, !value.isNaN {
            return ids.plain + 1 + Int32(NumericBins.bin(value, edges: ids.edges))
        }
        return ids.plain
    }

    /// Tokens for `events` (in order), keeping the most recent that fit in `maxLength` (begin token included).
    /// A time token is kept only with the event before it, so a truncated timeline starts with an event.
    public func encode(_ events: ArraySlice<MEDSEvent>, maxLength: Int) -> [Int32] {
        guard maxLength > 0 else { return [] }
        let room = maxLength - 1
        var reversed: [Int32] = []
        reversed.reserveCapacity(min(room, events.count * 2) + 1)
        var i = events.endIndex
        while i > events.startIndex, reversed.count < room {
            i -= 1
            let event = events[i]
            reversed.append(id(of: event))
            if i > events.startIndex, reversed.count + 2 <= room, let time = event.time, let previous = events[i - 1].time,
               let index = options.timeTokenIndex(gap: time - previous) {
                reversed.append(timeBase + Int32(index))
            }
        }
        reversed.append(Self.begin)
        reversed.reverse()
        return reversed
    }

    /// Writes the tokenizer as JSON through AtomicFile; a folder `url` gets `tokenizer.json` inside.
    public func save(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(self), to: Self.file(url))
    }

    /// Reads a tokenizer `save(to:)` wrote (a folder `url` means its `tokenizer.json`).
    public init(contentsOf url: URL) throws {
        let file = Self.file(url)
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw CommandError("\(file.path): cannot read the tokenizer (\(error.localizedDescription))")
        }
        do { self = try JSONDecoder().decode(TimelineTokenizer.self, from: data) } catch {
            throw CommandError("\(file.path): not a timeline tokenizer file (\(error))")
        }
    }

    private static func file(_ url: URL) -> URL {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            return url.appendingPathComponent(fileName)
        }
        return url
    }

    private enum CodingKeys: String, CodingKey { case options, codes, numericEdges = "numeric_edges" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let codes = try c.decode([String].self, forKey: .codes)
        let edges = try c.decode([String: [Double]].self, forKey: .numericEdges)
        guard zip(codes, codes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw DecodingError.dataCorruptedError(forKey: .codes, in: c, debugDescription: "codes must be sorted and distinct")
        }
        self.init(options: try c.decode(TimelineTokenizerOptions.self, forKey: .options), codes: codes, numericEdges: edges)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(options, forKey: .options)
        try c.encode(codes, forKey: .codes)
        try c.encode(numericEdges, forKey: .numericEdges)
    }

    public static func == (a: TimelineTokenizer, b: TimelineTokenizer) -> Bool {
        a.options == b.options && a.codes == b.codes && a.numericEdges == b.numericEdges
    }
}
