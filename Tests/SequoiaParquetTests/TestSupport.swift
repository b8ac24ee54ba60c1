import CZlib
import Foundation
import SequoiaParquet
import XCTest

/// Paths of the bundled test data.
enum TestData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Data")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// A minimal CSV reader for the reference CSVs: gunzips when needed and splits on commas outside quotes.
enum ReferenceCSV {
    /// Rows of fields (quotes removed), header first.
    static func rows(_ path: String) throws -> [[String]] {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        if path.hasSuffix(".gz") { bytes = try gunzip(bytes) }
        var rows: [[String]] = [], fields: [String] = [], field: [UInt8] = []
        var quoted = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ",") where !quoted:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            case UInt8(ascii: "\n") where !quoted:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                rows.append(fields)
                fields = []
            case UInt8(ascii: "\r") where !quoted: break
            default: field.append(byte)
            }
        }
        if !field.isEmpty || !fields.isEmpty { fields.append(String(decoding: field, as: UTF8.self)); rows.append(fields) }
        return rows
    }

    static func gunzip(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard sequoia_inflateInit2(&stream, 15 + 32) == Z_OK else { throw ParquetError("inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = input
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = UInt32(source.count)
            var status = Z_OK
            while status != Z_STREAM_END {
                status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                guard status == Z_OK || status == Z_STREAM_END else { throw ParquetError("gzip error \(status)") }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            }
        }
        return output
    }

    /// "1949-01-27 00:00:00.000000" (naive, read as UTC) as microseconds since 1970.
    static func microseconds(_ text: String) -> Int64? {
        let parts = text.split(whereSeparator: { "-: .".contains($0) }).map { Int64($0) }
        guard parts.count >= 6, !parts.contains(nil) else { return nil }
        let (y, m, d) = (parts[0]!, parts[1]!, parts[2]!)
        // Days from civil (Howard Hinnant's algorithm).
        let year = m <= 2 ? y - 1 : y
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = ((days * 24 + parts[3]!) * 60 + parts[4]!) * 60 + parts[5]!
        var micros: Int64 = 0
        if parts.count > 6, let fraction = text.split(separator: ".").last {
            micros = Int64(fraction.padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
        }
        return seconds * 1_000_000 + micros
    }
}

extension ParquetFile {
    /// A column read across all row groups, unwrapped to the case the test expects.
    func int64s(_ name: String) throws -> [Int64?] {
        switch try read(column: name) {
        case .int64(let v), .timestamp(let v): return v
        case let other: throw ParquetError("\(name) is \(other), not int64")
        }
    }

    func strings(_ name: String) throws -> [String?] {
        guard case .string(let v) = try read(column: name) else { throw ParquetError("\(name) is not a string column") }
        return v
    }
}
