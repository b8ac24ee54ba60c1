/// The DELTA encodings newer writers choose: DELTA_BINARY_PACKED integers, and byte arrays as
/// delta-packed lengths (DELTA_LENGTH_BYTE_ARRAY) or shared prefixes plus suffixes (DELTA_BYTE_ARRAY).
enum DeltaDecoder {
    /// Appends `count` integers (wrapping arithmetic, as writers compute them); returns the bytes used.
    @discardableResult
    static func binaryPacked(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [Int64]) throws -> Int {
        var position = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard position < data.count else { throw ParquetError("DELTA_BINARY_PACKED data ends early") }
                let byte = data[position]
                position += 1
                guard shift < 64 else { throw ParquetError("DELTA_BINARY_PACKED varint is too long") }
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        func zigzag() throws -> Int64 {
            let raw = try varint()
            return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
        }
        let blockSize = Int(clamping: try varint()), miniblocks = Int(clamping: try varint())
        let total = Int(clamping: try varint())
        // Writers use blocks of 128 to a few thousand values; the cap keeps size arithmetic from overflowing.
        guard blockSize > 0, blockSize <= 1 << 20, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
              (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError("DELTA_BINARY_PACKED header is corrupt (block \(blockSize), miniblocks \(miniblocks))")
        }
        guard total >= count else { throw ParquetError("DELTA_BINARY_PACKED holds \(total) values, expected \(count)") }
        var value = try zigzag()
        out.reserveMore(min(count, data.count * 8))
        if total > 0 && count > 0 { out.append(value) }
        var produced = 1, kept = min(count, 1)
        let perMiniblock = blockSize / miniblocks
        while produced < total {
            let minDelta = try zigzag()
            guard miniblocks <= data.count - position else { throw ParquetError("DELTA_BINARY_PACKED data ends early") }
            let widths = position
            position += miniblocks
            for m in 0..<miniblocks where produced < total {
                let width = Int(data[widths + m])
                guard width <= 64 else { throw ParquetError("DELTA_BINARY_PACKED bit width \(width) is out of range") }
                let bytes = perMiniblock * width / 8
                guard bytes <= data.count - position else { throw ParquetError("DELTA_BINARY_PACKED data ends early") }
                let take = min(perMiniblock, total - produced)
                for i in 0..<take {
                    let delta = Self.bits(data, bit: position * 8 + i * width, width: width)
                    value = value &+ minDelta &+ Int64(bitPattern: delta)
                    if kept < count {
                        out.append(value)
                        kept += 1
                    }
                }
                produced += take
                position += bytes
            }
        }
        return position
    }

    /// Appends `count` byte arrays whose lengths come first, delta-packed; returns the bytes used.
    @discardableResult
    static func lengthByteArrays<V>(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [V],
                                    _ make: (UnsafeRawBufferPointer) -> V) throws -> Int {
        var lengths: [Int64] = []
        var position = try binaryPacked(data, count: count, into: &lengths)
        out.reserveMore(lengths.count)
        for length in lengths {
            guard length >= 0, length <= data.count - position else {
                throw ParquetError("DELTA_LENGTH_BYTE_ARRAY value of \(length) bytes runs past the page")
            }
            out.append(make(UnsafeRawBufferPointer(rebasing: data[position..<position + Int(length)])))
            position += Int(length)
        }
        return position
    }

    /// Appends `count` byte arrays stored as the length of the prefix shared with the previous value plus a suffix.
    static func byteArrays<V>(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [V],
                              _ make: (UnsafeRawBufferPointer) -> V) throws {
        var prefixes: [Int64] = []
        let used = try binaryPacked(data, count: count, into: &prefixes)
        var suffixes: [UnsafeRawBufferPointer] = []
        try lengthByteArrays(UnsafeRawBufferPointer(rebasing: data[used...]), count: count, into: &suffixes) { $0 }
        var previous: [UInt8] = [], current: [UInt8] = []
        out.reserveMore(suffixes.count)
        for i in 0..<count {
            let prefix = prefixes[i]
            guard prefix >= 0, prefix <= previous.count else {
                throw ParquetError("DELTA_BYTE_ARRAY prefix \(prefix) is longer than the previous value")
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: previous[0..<Int(prefix)])
            current.append(contentsOf: suffixes[i])
            out.append(current.withUnsafeBytes(make))
            swap(&previous, &current)
        }
    }

    /// `width` bits (up to 64) starting at bit `bit`, LSB first; the caller has checked the bytes exist.
    private static func bits(_ data: UnsafeRawBufferPointer, bit: Int, width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        var result: UInt64 = 0, got = 0, position = bit
        while got < width {
            let byte = UInt64(data[position >> 3]) >> UInt64(position & 7)
            let available = 8 - (position & 7)
            result |= byte << UInt64(got)
            got += available
            position += available
        }
        return width == 64 ? result : result & ((1 << UInt64(width)) - 1)
    }
}
