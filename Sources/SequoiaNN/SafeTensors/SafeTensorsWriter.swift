import Foundation
import Glibc
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
                try writeAll(fd, UnsafeRawPointer(t.pointer), t.count * 4, path: path)
            }))
        }
        for (name, ids) in indices {
            pieces.append((name, "I64", ids.shape, ids.count * 8, { fd in
                let wide = ids.scalars.map { Int64($0).littleEndian }
                try wide.withUnsafeBytes { try writeAll(fd, $0.baseAddress!, $0.count, path: path) }
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

        try writeAtomically(to: url) { fd in
            try prefix.withUnsafeBytes { try writeAll(fd, $0.baseAddress!, $0.count, path: path) }
            for piece in pieces { try piece.write(fd) }
        }
    }
}

/// Runs `body` on a fresh temporary file next to `url`, then fsyncs and renames it into place.
/// On any failure the temporary file is removed and `url` is left as it was.
private func writeAtomically(to url: URL, _ body: (Int32) throws -> Void) throws {
    let path = url.path
    let folder = url.deletingLastPathComponent().path
    let temp = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw SafeTensorsError(path: path, .writeFailed(reason: "\(temp): \(errnoText())")) }
    do {
        try body(fd)
        guard fsync(fd) == 0 else { throw SafeTensorsError(path: path, .writeFailed(reason: "fsync: \(errnoText())")) }
        guard close(fd) == 0 else {
            unlink(temp)
            throw SafeTensorsError(path: path, .writeFailed(reason: "close: \(errnoText())"))
        }
    } catch {
        close(fd)
        unlink(temp)
        throw error
    }
    guard rename(temp, path) == 0 else {
        let reason = errnoText()
        unlink(temp)
        throw SafeTensorsError(path: path, .writeFailed(reason: "rename: \(reason)"))
    }
    // Persist the rename itself.
    let dir = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dir >= 0 {
        fsync(dir)
        close(dir)
    }
}

private func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int, path: String) throws {
    var done = 0
    while done < count {
        let n = Glibc.write(fd, bytes + done, min(count - done, 1 << 30))
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { throw SafeTensorsError(path: path, .writeFailed(reason: errnoText())) }
        done += n
    }
}

private func errnoText() -> String { String(cString: strerror(errno)) }

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
