import Foundation
import SequoiaKit
import SequoiaNN

/// A model's probability of the positive outcome for one subject at one prediction time.
public struct PredictionScore: Equatable, Sendable {
    public var subjectID: Int64
    /// Microseconds since 1970-01-01T00:00:00, as `PredictionLabel.predictionTime`.
    public var predictionTime: Int64
    public var probability: Double

    public init(subjectID: Int64, predictionTime: Int64, probability: Double) {
        self.subjectID = subjectID
        self.predictionTime = predictionTime
        self.probability = probability
    }
}

/// The scores file `ehr score` writes and `ehr eval` reads: CSV with the header
/// `subject_id,prediction_time,probability`, times as `YYYY-MM-DD HH:MM:SS.ffffff` (MEDS label style).
public enum ScoresTable {
    /// The columns written, in order (`read` accepts any order).
    public static let header = ["subject_id", "prediction_time", "probability"]

    /// Writes `scores` in the given order through `AtomicFile`; probabilities keep every digit (round-trip).
    /// Throws, writing nothing, when a probability is not a finite number in [0, 1].
    public static func write(_ scores: [PredictionScore], to url: URL) throws {
        var text = header.joined(separator: ",") + "\n"
        text.reserveCapacity(scores.count * 48)
        for score in scores {
            guard score.probability >= 0, score.probability <= 1 else {
                throw CommandError("\(url.path): probability \(score.probability) for subject \(score.subjectID) at "
                    + "\(MEDSTime.format(score.predictionTime)) is not in [0, 1]; nothing written")
            }
            text += "\(score.subjectID),\(MEDSTime.format(score.predictionTime)),\(score.probability)\n"
        }
        try AtomicFile.write(Data(text.utf8), to: url)
    }

    /// Reads a scores file (plain or gzip). Errors name the file, the row and the column: a missing column,
    /// an id that is not an integer, a time that is not a timestamp, a probability that is not a finite
    /// number in [0, 1], or a (subject_id, prediction_time) pair given twice.
    public static func read(_ path: String) throws -> [PredictionScore] {
        let reader = try CSVRecordReader(path)
        let subject = try reader.requireColumn("subject_id"), time = try reader.requireColumn("prediction_time")
        let probability = try reader.requireColumn("probability")
        var scores: [PredictionScore] = []
        var seen: [ScoreKey: Int] = [:]
        var scratch = [CChar](repeating: 0, count: 64)
        while try reader.next() {
            func fail(_ column: String, _ problem: String) -> CommandError {
                CommandError("\(path): row \(reader.row), column \(column): \(problem)")
            }
            guard let id = reader.withField(subject, parseInt64) else {
                throw fail("subject_id", "'\(reader.string(subject))' is not an integer")
            }
            guard let when = reader.withField(time, { MEDSTime.parse(bytes: $0) }) else {
                throw fail("prediction_time", "'\(reader.string(time))' is not a timestamp (YYYY-MM-DD HH:MM:SS.ffffff)")
            }
            guard let p = reader.withField(probability, { parseDouble($0, &scratch) }), p.isFinite, p >= 0, p <= 1 else {
                throw fail("probability", "'\(reader.string(probability))' is not a number in [0, 1]")
            }
            if let first = seen.updateValue(reader.row, forKey: ScoreKey(subjectID: id, predictionTime: when)) {
                throw fail("prediction_time", "subject \(id) at \(MEDSTime.format(when)) is scored twice (first in row \(first))")
            }
            scores.append(PredictionScore(subjectID: id, predictionTime: when, probability: p))
        }
        return scores
    }

    private static func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0, negative = false
        if bytes.count > 1, bytes[0] == UInt8(ascii: "-") { negative = true; i = 1 }
        guard i < bytes.count else { return nil }
        var value: Int64 = 0
        while i < bytes.count {
            let digit = bytes[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(Int64(digit))
                                             : shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// strtod on a reused NUL-terminated copy; nil unless the whole field is one number.
    private static func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ scratch: inout [CChar]) -> Double? {
        guard !bytes.isEmpty, bytes.count < scratch.count else { return nil }
        if bytes[0] == UInt8(ascii: " ") || bytes[0] == UInt8(ascii: "\t") { return nil }
        for i in 0..<bytes.count { scratch[i] = CChar(bitPattern: bytes[i]) }
        scratch[bytes.count] = 0
        return scratch.withUnsafeBufferPointer { buffer -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(buffer.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: buffer.baseAddress!) == bytes.count else { return nil }
            return value
        }
    }
}

/// A (subject, prediction time) pair: the key scores and labels are joined on.
struct ScoreKey: Hashable {
    let subjectID: Int64
    let predictionTime: Int64
}
