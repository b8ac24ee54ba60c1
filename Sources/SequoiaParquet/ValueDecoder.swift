/// Decodes the non-null values of a page for one physical type, in whichever value encoding the page uses.
protocol ValueDecoder {
    associatedtype Value
    /// Appends `count` values encoded with `encoding` from `data`.
    func decode(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, count: Int, into out: inout [Value]) throws
}

extension ValueDecoder {
    func unsupported(_ encoding: Encoding, _ type: String) -> ParquetError {
        ParquetError("encoding \(encoding) is not supported for \(type) values")
    }
}

/// INT32, INT64, FLOAT and DOUBLE values.
struct FixedWidthDecoder<Value: BitwiseCopyable>: ValueDecoder {
    /// Narrows a DELTA_BINARY_PACKED integer; nil for floating-point types, which cannot use it.
    let fromDelta: ((Int64) -> Value)?

    func decode(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, count: Int, into out: inout [Value]) throws {
        switch encoding {
        case .plain:
            try PlainDecoder.fixed(data, count: count, into: &out)
        case .deltaBinaryPacked:
            guard let fromDelta else { throw unsupported(encoding, "\(Value.self)") }
            var wide: [Int64] = []
            try DeltaDecoder.binaryPacked(data, count: count, into: &wide)
            out.append(contentsOf: wide.lazy.map(fromDelta))
        case .byteStreamSplit:
            try byteStreamSplit(data, count: count, into: &out)
        default:
            throw unsupported(encoding, "\(Value.self)")
        }
    }

    /// BYTE_STREAM_SPLIT stores byte k of every value in stream k; the streams fill the page equally.
    private func byteStreamSplit(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [Value]) throws {
        let size = MemoryLayout<Value>.size
        guard data.count % size == 0, data.count / size >= count else {
            throw ParquetError("BYTE_STREAM_SPLIT page of \(data.count) bytes cannot hold \(count) values")
        }
        guard count > 0 else { return }
        let stride = data.count / size
        let page = [Value](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self)
            for i in 0..<count {
                for k in 0..<size { bytes[i * size + k] = data[k * stride + i] }
            }
            initialized = count
        }
        out.append(contentsOf: page)
    }
}

struct BooleanDecoder: ValueDecoder {
    func decode(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, count: Int, into out: inout [Bool]) throws {
        switch encoding {
        case .plain:
            try PlainDecoder.booleans(data, count: count, into: &out)
        case .rle:
            // RLE booleans carry the same 4-byte length prefix as v1 levels.
            let (runs, _) = try LevelDecoder.prefixed(data)
            var decoder = try HybridDecoder(runs, bitWidth: 1)
            var bits = [UInt32](repeating: 0, count: count)
            if count > 0 { try bits.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) } }
            out.append(contentsOf: bits.lazy.map { $0 != 0 })
        default:
            throw unsupported(encoding, "boolean")
        }
    }
}

/// Legacy INT96 timestamps, read as microseconds.
struct Int96Decoder: ValueDecoder {
    func decode(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, count: Int, into out: inout [Int64]) throws {
        guard encoding == .plain else { throw unsupported(encoding, "INT96") }
        try PlainDecoder.int96(data, count: count, into: &out)
    }
}

/// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY values, each turned into a `Value` by `make`.
struct ByteArrayDecoder<Value>: ValueDecoder {
    /// The length of FIXED_LEN_BYTE_ARRAY values; nil for BYTE_ARRAY.
    let fixedLength: Int?
    let make: (UnsafeRawBufferPointer) -> Value

    func decode(_ encoding: Encoding, _ data: UnsafeRawBufferPointer, count: Int, into out: inout [Value]) throws {
        switch (encoding, fixedLength) {
        case (.plain, nil): try PlainDecoder.byteArrays(data, count: count, into: &out, make)
        case (.plain, let length?): try PlainDecoder.fixedLengthByteArrays(data, count: count, length: length, into: &out, make)
        case (.deltaLengthByteArray, nil): try DeltaDecoder.lengthByteArrays(data, count: count, into: &out, make)
        case (.deltaByteArray, _): try DeltaDecoder.byteArrays(data, count: count, into: &out, make)
        default: throw unsupported(encoding, fixedLength == nil ? "byte array" : "fixed-length byte array")
        }
    }
}
