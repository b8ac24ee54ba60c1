/// A reader of the Thrift compact protocol over bytes it does not own; every read is bounds-checked,
/// so a lying length or a truncated struct ends in a `ParquetError`, never an out-of-bounds read.
struct ThriftCompactReader {
    /// Compact-protocol type codes (the low nibble of a field header).
    enum FieldType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    struct FieldHeader {
        let id: Int16
        let type: FieldType
    }

    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    private var lastFieldIDs: [Int16] = []
    private var lastFieldID: Int16 = 0
    private var listNesting = 0

    /// Deep nesting only comes from corrupt or hostile input; the limit keeps skipping off the stack's edge.
    private static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    mutating func readByte() throws -> UInt8 {
        guard position < bytes.count else { throw ParquetError("thrift data ends early at byte \(position)") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func readVarint() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let byte = try readByte()
            guard shift < 64 else { throw ParquetError("thrift varint is too long at byte \(position)") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readI64() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func readI32() throws -> Int32 {
        let value = try readI64()
        guard let narrow = Int32(exactly: value) else { throw ParquetError("thrift i32 out of range: \(value)") }
        return narrow
    }

    /// A count or size: non-negative and small enough to be an `Int` index.
    mutating func readSize() throws -> Int {
        let raw = try readVarint()
        guard raw <= UInt64(Int32.max) else { throw ParquetError("thrift length \(raw) is implausible") }
        return Int(raw)
    }

    mutating func readBinary() throws -> UnsafeRawBufferPointer {
        let count = try readSize()
        guard count <= bytes.count - position else {
            throw ParquetError("thrift string of \(count) bytes runs past the end of its data")
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    mutating func readString() throws -> String {
        String(decoding: try readBinary(), as: UTF8.self)
    }

    mutating func readDouble() throws -> Double {
        guard bytes.count - position >= 8 else { throw ParquetError("thrift double ends early") }
        defer { position += 8 }
        return Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)))
    }

    mutating func beginStruct() throws {
        guard lastFieldIDs.count < Self.maxDepth else { throw ParquetError("thrift structs nest too deeply") }
        lastFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    mutating func endStruct() {
        lastFieldID = lastFieldIDs.popLast() ?? 0
    }

    /// The next field of the current struct, or nil at its stop byte.
    mutating func readFieldHeader() throws -> FieldHeader? {
        let byte = try readByte()
        if byte == 0 { return nil }
        guard let type = FieldType(rawValue: byte & 0x0F) else {
            throw ParquetError("unknown thrift type \(byte & 0x0F) at byte \(position - 1)")
        }
        let delta = Int16(byte >> 4)
        if delta != 0 {
            lastFieldID &+= delta
        } else {
            let raw = try readVarint()
            lastFieldID = Int16(truncatingIfNeeded: Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        }
        return FieldHeader(id: lastFieldID, type: type)
    }

    /// Element type and count of a list or set.
    mutating func readListHeader() throws -> (type: FieldType, count: Int) {
        let byte = try readByte()
        guard let type = FieldType(rawValue: byte & 0x0F) else {
            throw ParquetError("unknown thrift list element type \(byte & 0x0F)")
        }
        let short = Int(byte >> 4)
        let count = short == 15 ? try readSize() : short
        // Every element takes at least one byte, so a count beyond the remaining bytes is a lie.
        guard count <= bytes.count - position else { throw ParquetError("thrift list of \(count) elements runs past its data") }
        return (type, count)
    }

    /// A boolean: field values carry it in the type; list elements take a byte.
    mutating func readBool(_ type: FieldType) throws -> Bool {
        switch type {
        case .boolTrue: return true
        case .boolFalse: return false
        default: throw ParquetError("thrift field of type \(type) where a boolean was expected")
        }
    }

    /// An i32 field, checking the writer used the type the schema says.
    mutating func readI32(_ header: FieldHeader) throws -> Int32 {
        guard header.type == .i32 || header.type == .i16 || header.type == .byte else {
            throw ParquetError("thrift field \(header.id) has type \(header.type), expected i32")
        }
        return header.type == .byte ? Int32(Int8(bitPattern: try readByte())) : try readI32()
    }

    mutating func readI64(_ header: FieldHeader) throws -> Int64 {
        guard header.type == .i64 || header.type == .i32 || header.type == .i16 else {
            throw ParquetError("thrift field \(header.id) has type \(header.type), expected i64")
        }
        return try readI64()
    }

    mutating func expect(_ header: FieldHeader, _ type: FieldType) throws {
        guard header.type == type else {
            throw ParquetError("thrift field \(header.id) has type \(header.type), expected \(type)")
        }
    }

    /// Reads a list whose elements `element` decodes.
    mutating func readList<T>(_ header: FieldHeader, _ element: (inout ThriftCompactReader, FieldType) throws -> T) throws -> [T] {
        try expect(header, .list)
        let (type, count) = try readListHeader()
        var result: [T] = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try element(&self, type)) }
        return result
    }

    /// Reads a struct, calling `field` for each field; `field` must consume or skip it.
    mutating func readStruct(_ field: (inout ThriftCompactReader, FieldHeader) throws -> Void) throws {
        try beginStruct()
        while let header = try readFieldHeader() { try field(&self, header) }
        endStruct()
    }

    /// Skips a value of any type, so fields from newer writers never break decoding.
    mutating func skip(_ type: FieldType) throws {
        switch type {
        case .boolTrue, .boolFalse: return
        case .byte: _ = try readByte()
        case .i16, .i32, .i64: _ = try readVarint()
        case .double: _ = try readDouble()
        case .binary: _ = try readBinary()
        case .list, .set:
            listNesting += 1
            defer { listNesting -= 1 }
            guard listNesting < Self.maxDepth else { throw ParquetError("thrift lists nest too deeply") }
            let (element, count) = try readListHeader()
            for _ in 0..<count { try skipElement(element) }
        case .map:
            listNesting += 1
            defer { listNesting -= 1 }
            guard listNesting < Self.maxDepth else { throw ParquetError("thrift maps nest too deeply") }
            let count = try readSize()
            guard count > 0 else { return }
            let types = try readByte()
            guard let key = FieldType(rawValue: types >> 4), let value = FieldType(rawValue: types & 0x0F) else {
                throw ParquetError("unknown thrift map types \(types)")
            }
            guard count <= bytes.count - position else { throw ParquetError("thrift map of \(count) entries runs past its data") }
            for _ in 0..<count {
                try skipElement(key)
                try skipElement(value)
            }
        case .structure:
            try readStruct { reader, header in try reader.skip(header.type) }
        }
    }

    /// Inside lists and maps booleans take a whole byte.
    private mutating func skipElement(_ type: FieldType) throws {
        if type == .boolTrue || type == .boolFalse { _ = try readByte() } else { try skip(type) }
    }
}
