import Foundation
import SequoiaTensor

extension SafeTensors {
    /// Writes `tensors` as F32 and `indices` as I64 in the standard layout: 8-byte little-endian
    /// header length, JSON header (entries sorted by name, padded with spaces to a multiple of 8),
    /// then the data in name order. The file appears atomically: it is written to a temporary file
    /// in the same folder, flushed, and renamed over `url`, so a crash never leaves half a file.
    public static func write(_ tensors: [String: Tensor], indices: [String: IndexTensor] = [:],
                             metadata: [String: String] = [:], to url: URL) throws {
        let path = url.path
        // A name in both dictionaries, or one that collides with the metadata key, cannot be written.
        let clash = tensors.keys.first { indices[$0] != nil }
            ?? (tensors["__metadata__"] != nil || indices["__metadata__"] != nil ? "__metadata__" : nil)
        if let clash { throw SafeTensorsError(path: path, .duplicateName(name: clash)) }

        var pieces: [(name: String, dtype: String, shape: [Int], bytes: Int, write: (Int32) throws -> Void)] = []
        for (name, t) in tensors {
            pieces.append((name, "F32", t.shape, t.count * 4, { fd in
                try AtomicFile.writeAll(fd, UnsafeRawPointer(t.pointer), t.count * 4, path: path)
            }))
        }
        for (name, ids) in indices {
            pieces.append((name, "I64", ids.shape, ids.count * 8, { fd in
                let wide = ids.scalars.map { Int64($0).littleEndian }
                try wide.withUnsafeBytes { try AtomicFile.writeAll(fd, $0.baseAddress!, $0.count, path: path) }
            }))
        }
        pieces.sort { $0.name < $1.name }

        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for piece in pieces {
            let shape = piece.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(piece.name)):{\"dtype\":\"\(piece.dtype)\",\"shape\":[\(shape)],"
                + "\"data_offsets\":[\(offset),\(offset + piece.bytes)]}")
            offset += piece.bytes
        }
        var header = Array("{\(fields.joined(separator: ","))}".utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var prefix = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
        prefix.append(contentsOf: header)

        do {
            try AtomicFile.write(to: url) { fd in
                try prefix.withUnsafeBytes { try AtomicFile.writeAll(fd, $0.baseAddress!, $0.count, path: path) }
                for piece in pieces { try piece.write(fd) }
            }
        } catch let error as AtomicFileError {
            throw SafeTensorsError(path: path, .writeFailed(reason: error.reason))
        }
    }
}


/// A JSON string literal for `s`.
private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
