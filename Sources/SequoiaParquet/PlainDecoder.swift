/// PLAIN-encoded values: fixed-width little-endian numbers, LSB-first packed booleans,
/// length-prefixed byte arrays, fixed-length byte arrays and legacy INT96 timestamps.
enum PlainDecoder {
    /// Appends `count` values of a fixed-width type; returns the bytes used.
    @discardableResult
    static func fixed<T: BitwiseCopyable>(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [T]) throws -> Int {
        let size = MemoryLayout<T>.size
        guard count <= data.count / size else {
            throw ParquetError("page holds \(data.count / size) PLAIN values, expected \(count)")
        }
        guard count > 0 else { return 0 }
        // Parquet is little-endian, as every platform Swift runs this package on, so values copy as bytes.
        let page = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: data.baseAddress!, byteCount: count * size)
            initialized = count
        }
        out.append(contentsOf: page)
        return count * size
    }

    static func booleans(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [Bool]) throws {
        guard count <= data.count * 8 else {
            throw ParquetError("page holds \(data.count * 8) PLAIN booleans at most, expected \(count)")
        }
        out.reserveMore(count)
        for i in 0..<count { out.append(data[i >> 3] & (1 << UInt8(i & 7)) != 0) }
    }

    /// INT96 (nanoseconds of the day, then the Julian day) as microseconds since 1970.
    static func int96(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [Int64]) throws {
        guard count <= data.count / 12 else {
            throw ParquetError("page holds \(data.count / 12) INT96 values, expected \(count)")
        }
        let julianEpoch: Int64 = 2_440_588, microsPerDay: Int64 = 86_400_000_000
        out.reserveMore(count)
        for i in 0..<count {
            let nanos = Int64(littleEndian: data.loadUnaligned(fromByteOffset: i * 12, as: Int64.self))
            let day = Int64(Int32(littleEndian: data.loadUnaligned(fromByteOffset: i * 12 + 8, as: Int32.self)))
            let (dayMicros, overflow) = (day - julianEpoch).multipliedReportingOverflow(by: microsPerDay)
            let (micros, overflow2) = dayMicros.addingReportingOverflow(TimeScale.floorDivide(nanos, 1000))
            guard !overflow, !overflow2 else { throw ParquetError("INT96 timestamp \(i) (day \(day)) is out of range") }
            out.append(micros)
        }
    }

    /// Appends `count` byte arrays, each after its 4-byte little-endian length; returns the bytes used.
    @discardableResult
    static func byteArrays<V>(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [V],
                              _ make: (UnsafeRawBufferPointer) -> V) throws -> Int {
        out.reserveMore(min(count, data.count / 4))
        var position = 0
        for i in 0..<count {
            guard data.count - position >= 4 else { throw ParquetError("byte array \(i) of \(count) runs past the page") }
            let length = Int(UInt32(littleEndian: data.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            position += 4
            guard length <= data.count - position else {
                throw ParquetError("byte array \(i) of \(length) bytes runs past the page")
            }
            out.append(make(UnsafeRawBufferPointer(rebasing: data[position..<position + length])))
            position += length
        }
        return position
    }

    static func fixedLengthByteArrays<V>(_ data: UnsafeRawBufferPointer, count: Int, length: Int, into out: inout [V],
                                         _ make: (UnsafeRawBufferPointer) -> V) throws {
        guard length > 0 else { throw ParquetError("fixed-length byte array has length \(length)") }
        guard count <= data.count / length else {
            throw ParquetError("page holds \(data.count / length) fixed-length values, expected \(count)")
        }
        out.reserveMore(count)
        for i in 0..<count { out.append(make(UnsafeRawBufferPointer(rebasing: data[i * length..<(i + 1) * length]))) }
    }
}
