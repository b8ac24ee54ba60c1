/// The parts of Parquet's FileMetaData (parquet.thrift) this reader uses, decoded from the footer.
struct FileMetaData {
    var schema: [SchemaElement] = []
    var rowCount: Int64 = 0
    var rowGroups: [RowGroup] = []
    var createdBy: String?

    init(_ reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 2: schema = try reader.readList(field) { reader, type in try SchemaElement(&reader, type) }
            case 3: rowCount = try reader.readI64(field)
            case 4: rowGroups = try reader.readList(field) { reader, type in try RowGroup(&reader, type) }
            case 6 where field.type == .binary: createdBy = try reader.readString()
            default: try reader.skip(field.type)
            }
        }
    }
}

/// Parquet's physical storage types.
enum PhysicalType: Int32 {
    case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

/// Parquet's page encodings.
enum Encoding: Int32 {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9

    static func name(of raw: Int32) -> String {
        Encoding(rawValue: raw).map { "\($0)" } ?? "unknown encoding \(raw)"
    }
}

/// Parquet's compression codecs.
enum CompressionCodec: Int32 {
    case uncompressed = 0, snappy, gzip, lzo, brotli, lz4, zstd, lz4Raw
}

/// The logical annotations this reader maps to value kinds; the rest read as their physical type.
enum LogicalAnnotation: Equatable {
    case string, date, timestamp(ParquetTimeUnit), other
}

struct SchemaElement {
    var type: PhysicalType?
    var typeLength: Int32 = 0
    var repetition: Int32 = 0          // 0 required, 1 optional, 2 repeated
    var name = ""
    var childCount: Int32 = 0
    var convertedType: Int32?
    var logical: LogicalAnnotation?

    init(_ reader: inout ThriftCompactReader, _ type: ThriftCompactReader.FieldType) throws {
        guard type == .structure else { throw ParquetError("schema element is not a struct") }
        try reader.readStruct { reader, field in
            switch field.id {
            case 1:
                let raw = try reader.readI32(field)
                guard let physical = PhysicalType(rawValue: raw) else { throw ParquetError("unknown physical type \(raw)") }
                self.type = physical
            case 2: typeLength = try reader.readI32(field)
            case 3: repetition = try reader.readI32(field)
            case 4: try reader.expect(field, .binary); name = try reader.readString()
            case 5: childCount = try reader.readI32(field)
            case 6: convertedType = try reader.readI32(field)
            case 10: try reader.expect(field, .structure); logical = try Self.readLogicalType(&reader)
            default: try reader.skip(field.type)
            }
        }
    }

    /// LogicalType is a union: exactly one field is set.
    private static func readLogicalType(_ reader: inout ThriftCompactReader) throws -> LogicalAnnotation {
        var result = LogicalAnnotation.other
        try reader.readStruct { reader, field in
            switch field.id {
            case 1, 4, 12: result = .string; try reader.skip(field.type)   // STRING, ENUM, JSON
            case 6: result = .date; try reader.skip(field.type)
            case 8:
                try reader.expect(field, .structure)
                var unit = ParquetTimeUnit.microseconds
                try reader.readStruct { reader, field in
                    guard field.id == 2 else { return try reader.skip(field.type) }
                    try reader.expect(field, .structure)
                    // TimeUnit is a union of empty structs: MILLIS = 1, MICROS = 2, NANOS = 3.
                    try reader.readStruct { reader, field in
                        switch field.id {
                        case 1: unit = .milliseconds
                        case 3: unit = .nanoseconds
                        default: unit = .microseconds
                        }
                        try reader.skip(field.type)
                    }
                }
                result = .timestamp(unit)
            default: try reader.skip(field.type)
            }
        }
        return result
    }
}

struct RowGroup {
    var columns: [ColumnMetaData] = []
    var rowCount: Int64 = 0

    init(_ reader: inout ThriftCompactReader, _ type: ThriftCompactReader.FieldType) throws {
        guard type == .structure else { throw ParquetError("row group is not a struct") }
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: columns = try reader.readList(field) { reader, type in try ColumnMetaData(chunk: &reader, type) }
            case 3: rowCount = try reader.readI64(field)
            default: try reader.skip(field.type)
            }
        }
    }
}

/// A ColumnChunk's metadata (ColumnChunk.meta_data, flattened).
struct ColumnMetaData {
    var filePath: String?
    var type: PhysicalType?
    var path: [String] = []
    var codec: Int32 = 0
    var valueCount: Int64 = 0
    var totalCompressedSize: Int64 = 0
    var dataPageOffset: Int64 = -1
    var dictionaryPageOffset: Int64?

    init(chunk reader: inout ThriftCompactReader, _ type: ThriftCompactReader.FieldType) throws {
        guard type == .structure else { throw ParquetError("column chunk is not a struct") }
        var sawMetaData = false
        try reader.readStruct { reader, field in
            switch field.id {
            case 1 where field.type == .binary: filePath = try reader.readString()
            case 3:
                try reader.expect(field, .structure)
                try readMetaData(&reader)
                sawMetaData = true
            default: try reader.skip(field.type)
            }
        }
        guard sawMetaData else { throw ParquetError("column chunk has no metadata") }
    }

    private mutating func readMetaData(_ reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: type = PhysicalType(rawValue: try reader.readI32(field))
            case 3: path = try reader.readList(field) { reader, type in
                    guard type == .binary else { throw ParquetError("path_in_schema holds \(type), not strings") }
                    return try reader.readString()
                }
            case 4: codec = try reader.readI32(field)
            case 5: valueCount = try reader.readI64(field)
            case 7: totalCompressedSize = try reader.readI64(field)
            case 9: dataPageOffset = try reader.readI64(field)
            case 11: dictionaryPageOffset = try reader.readI64(field)
            default: try reader.skip(field.type)
            }
        }
    }
}
