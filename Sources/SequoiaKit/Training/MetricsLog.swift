import Foundation
import SequoiaNN

/// One line of metrics.jsonl: the step and named numbers, in the order written.
public struct MetricsRecord: Equatable {
    public var step: Int
    public var values: [(String, Double)]

    public init(step: Int, values: [(String, Double)]) {
        self.step = step
        self.values = values
    }

    /// The number under `key`, if the line has it.
    public subscript(key: String) -> Double? { values.first { $0.0 == key }?.1 }

    /// `{"step":N,"key":value,...}`; non-finite numbers become null (JSON has no NaN).
    public var jsonLine: String {
        var fields = ["\"step\":\(step)"]
        for (key, value) in values {
            let escaped = key.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            fields.append("\"\(escaped)\":" + (value.isFinite ? "\(value)" : "null"))
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// Parses a line written by `jsonLine` (keys come back sorted; nulls are dropped).
    public init?(jsonLine: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(jsonLine.utf8)) as? [String: Any],
              let step = (object["step"] as? NSNumber)?.intValue else { return nil }
        self.step = step
        values = object.keys.filter { $0 != "step" }.sorted().compactMap { key in
            (object[key] as? NSNumber).map { (key, $0.doubleValue) }
        }
    }

    public static func == (a: MetricsRecord, b: MetricsRecord) -> Bool {
        a.step == b.step && a.values.elementsEqual(b.values) { $0.0 == $1.0 && $0.1 == $1.1 }
    }
}

/// metrics.jsonl of a run: one JSON object per line, appended as training goes.
final class MetricsLog {
    let url: URL
    private(set) var records: [MetricsRecord] = []

    /// Starts an empty log, replacing any file left by an earlier attempt.
    init(startingAt url: URL) throws {
        self.url = url
        try AtomicFile.write(Data(), to: url)
    }

    /// Continues the log of a resumed run: lines after `step` (written after the checkpoint
    /// that is being resumed) are dropped so the file matches the uninterrupted run's.
    init(resumingAt url: URL, step: Int) throws {
        self.url = url
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        var kept: [String] = []
        for line in text.split(separator: "\n") {
            guard let record = MetricsRecord(jsonLine: String(line)), record.step <= step else { continue }
            kept.append(String(line))
            records.append(record)
        }
        try AtomicFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: url)
    }

    func append(_ record: MetricsRecord) throws {
        records.append(record)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((record.jsonLine + "\n").utf8))
    }
}
