import Foundation

/// The parsed and validated header of a safetensors file.
struct SafeTensorsHeader {
    var entries: [String: SafeTensorInfo] = [:]
    var metadata: [String: String] = [:]
    /// Bytes from the start of the file to the data section.
    var dataStart = 0

    /// Parses the header of a `fileSize`-byte file at `base`, checking every entry against the
    /// data section so that later reads cannot go out of bounds.
    init(base: UnsafeRawPointer, fileSize: Int, path: String) throws {
        func fail(_ problem: SafeTensorsError.Problem) -> SafeTensorsError { SafeTensorsError(path: path, problem) }

        guard fileSize >= 8 else { throw fail(.fileTooSmall(size: fileSize)) }
        let headerLength = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard headerLength <= UInt64(fileSize - 8) else {
            throw fail(.headerPastEnd(headerLength: headerLength, fileSize: fileSize))
        }
        dataStart = 8 + Int(headerLength)
        let dataSize = fileSize - dataStart

        let json: Any
        do {
            let bytes = Data(bytes: base + 8, count: Int(headerLength))
            json = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            throw fail(.invalidJSON(reason: "\(error)"))
        }
        guard let object = json as? [String: Any] else { throw fail(.headerNotObject) }

        for (name, value) in object {
            if name == "__metadata__" {
                guard let dict = value as? [String: Any] else { throw fail(.invalidMetadata(reason: "is not an object")) }
                for (k, v) in dict {
                    guard let s = v as? String else { throw fail(.invalidMetadata(reason: "value of \(k) is not a string")) }
                    metadata[k] = s
                }
                continue
            }
            entries[name] = try Self.entry(name, value, dataSize: dataSize, fail: fail)
        }
        try Self.checkOverlaps(entries.values, fail: fail)
    }

    private static func entry(_ name: String, _ value: Any, dataSize: Int,
                              fail: (SafeTensorsError.Problem) -> SafeTensorsError) throws -> SafeTensorInfo {
        guard let fields = value as? [String: Any] else { throw fail(.invalidEntry(name: name, reason: "not an object")) }
        guard let dtypeName = fields["dtype"] as? String else {
            throw fail(.invalidEntry(name: name, reason: "missing string dtype"))
        }
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            throw fail(.unknownDType(name: name, dtype: dtypeName))
        }
        guard let rawShape = fields["shape"] as? [Any] else { throw fail(.invalidShape(name: name)) }
        let shape = rawShape.map(jsonInt)
        guard shape.allSatisfy({ $0 != nil && $0! >= 0 }) else { throw fail(.invalidShape(name: name)) }
        guard let rawOffsets = fields["data_offsets"] as? [Any], rawOffsets.count == 2,
              let begin = jsonInt(rawOffsets[0]), let end = jsonInt(rawOffsets[1]), begin >= 0, end >= 0 else {
            throw fail(.invalidOffsets(name: name, reason: "must be two non-negative integers"))
        }
        guard begin <= end else { throw fail(.invalidOffsets(name: name, reason: "begin \(begin) is after end \(end)")) }
        guard end <= dataSize else { throw fail(.offsetsOutOfRange(name: name, end: end, dataSize: dataSize)) }

        var bytes = dtype.size
        for d in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: d!)
            // Past the data section it cannot match anyway; saturate instead of overflowing.
            bytes = overflow ? Int.max : product
        }
        guard bytes == end - begin else {
            throw fail(.byteCountMismatch(name: name, expected: bytes, actual: end - begin))
        }
        return SafeTensorInfo(name: name, dtype: dtype, shape: shape.map { $0! }, dataOffsets: begin..<end)
    }

    /// Tensors must occupy disjoint byte ranges (empty tensors occupy none).
    private static func checkOverlaps(_ infos: Dictionary<String, SafeTensorInfo>.Values,
                                      fail: (SafeTensorsError.Problem) -> SafeTensorsError) throws {
        let sorted = infos.filter { !$0.dataOffsets.isEmpty }
            .sorted { ($0.dataOffsets.lowerBound, $0.name) < ($1.dataOffsets.lowerBound, $1.name) }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.dataOffsets.lowerBound < a.dataOffsets.upperBound {
            throw fail(.overlappingTensors(a.name, b.name))
        }
    }
}

/// An exact JSON integer (not a boolean, not a fraction, within Int).
private func jsonInt(_ value: Any) -> Int? {
    guard let n = value as? NSNumber, String(cString: n.objCType) != "c" else { return nil }
    return value as? Int
}
