/// Parquet's RLE / bit-packed hybrid encoding, used for definition levels, dictionary indices and
/// RLE booleans: runs of one repeated value alternate with groups of 8 values bit-packed LSB first.
struct HybridDecoder {
    private let data: UnsafeRawBufferPointer
    private let bitWidth: Int
    private var position = 0
    // The current run: `remaining` values, either all `repeated` or packed from `packedBit` on.
    private var remaining = 0
    private var isPacked = false
    private var repeated: UInt32 = 0
    private var packedBit = 0

    init(_ data: UnsafeRawBufferPointer, bitWidth: Int) throws {
        guard (0...32).contains(bitWidth) else { throw ParquetError("bit width \(bitWidth) is out of range") }
        self.data = data
        self.bitWidth = bitWidth
    }

    /// Bits needed to store values up to `maxValue`.
    static func bitWidth(of maxValue: Int) -> Int {
        maxValue == 0 ? 0 : Int.bitWidth - maxValue.leadingZeroBitCount
    }

    /// Decodes exactly `count` values into `out`.
    mutating func decode(count: Int, into out: UnsafeMutablePointer<UInt32>) throws {
        var done = 0
        while done < count {
            if remaining == 0 { try startRun() }
            let take = min(remaining, count - done)
            if isPacked {
                unpack(take, into: out + done)
            } else {
                (out + done).update(repeating: repeated, count: take)
            }
            remaining -= take
            done += take
        }
    }

    private mutating func readVarint() throws -> Int {
        var result = 0, shift = 0
        while true {
            guard position < data.count else { throw ParquetError("RLE data ends early") }
            let byte = data[position]
            position += 1
            guard shift < 35 else { throw ParquetError("RLE run header is too long") }
            result |= Int(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    private mutating func startRun() throws {
        let header = try readVarint()
        if header & 1 == 1 {
            let groups = header >> 1
            guard groups > 0 else { throw ParquetError("empty bit-packed run in RLE data") }
            let bytes = groups * bitWidth
            // Writers may end the last run early; only what is present can be decoded.
            let available = min(bytes, data.count - position)
            remaining = bitWidth == 0 ? groups * 8 : available * 8 / bitWidth
            guard remaining > 0 else { throw ParquetError("RLE data ends early") }
            isPacked = true
            packedBit = position * 8
            position += available
        } else {
            remaining = header >> 1
            guard remaining > 0 else { throw ParquetError("empty repeated run in RLE data") }
            let width = (bitWidth + 7) / 8
            guard width <= data.count - position else { throw ParquetError("RLE data ends early") }
            var value: UInt32 = 0
            for i in 0..<width { value |= UInt32(data[position + i]) << (8 * i) }
            position += width
            isPacked = false
            repeated = value
        }
    }

    private mutating func unpack(_ count: Int, into out: UnsafeMutablePointer<UInt32>) {
        guard bitWidth > 0 else {
            out.update(repeating: 0, count: count)
            return
        }
        let mask = UInt64((1 as UInt64) << bitWidth) &- 1
        let end = data.count
        var bit = packedBit
        for i in 0..<count {
            let byte = bit >> 3, shift = bit & 7
            var word: UInt64
            if byte + 8 <= end {
                word = UInt64(littleEndian: data.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
            } else {
                word = 0
                for j in 0..<(end - byte) { word |= UInt64(data[byte + j]) << (8 * j) }
            }
            out[i] = UInt32(truncatingIfNeeded: (word >> shift) & mask)
            bit += bitWidth
        }
        packedBit = bit
    }
}

/// Definition levels of a flat column, decoded to one byte per value (1: present, 0: null).
enum LevelDecoder {
    /// Decodes `count` levels from `data` (no length prefix) and returns how many are present.
    static func definitionLevels(_ data: UnsafeRawBufferPointer, count: Int, into levels: inout [UInt32]) throws -> Int {
        levels.removeAll(keepingCapacity: true)
        levels.append(contentsOf: repeatElement(0, count: count))
        guard count > 0 else { return 0 }
        var decoder = try HybridDecoder(data, bitWidth: 1)
        try levels.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
        var present = 0
        for level in levels {
            guard level <= 1 else { throw ParquetError("definition level \(level) exceeds the maximum 1") }
            present += Int(level)
        }
        return present
    }

    /// Splits a v1 page's 4-byte little-endian length prefix off RLE level data.
    static func prefixed(_ data: UnsafeRawBufferPointer) throws -> (levels: UnsafeRawBufferPointer, rest: UnsafeRawBufferPointer) {
        guard data.count >= 4 else { throw ParquetError("definition levels are missing their length") }
        let length = Int(UInt32(littleEndian: data.loadUnaligned(as: UInt32.self)))
        guard length <= data.count - 4 else {
            throw ParquetError("definition levels of \(length) bytes run past the page's \(data.count)")
        }
        return (UnsafeRawBufferPointer(rebasing: data[4..<4 + length]),
                UnsafeRawBufferPointer(rebasing: data[(4 + length)...]))
    }
}
