/// A page's header (parquet.thrift PageHeader), with the fields of its data or dictionary header.
struct PageHeader {
    enum Kind: Int32 {
        case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
    }

    var kind: Int32 = -1
    var uncompressedSize: Int = 0
    var compressedSize: Int = 0
    /// Values in the page, nulls included (for a dictionary page: the dictionary's entries).
    var valueCount: Int = 0
    var encoding: Int32 = 0
    var definitionLevelEncoding: Int32 = Encoding.rle.rawValue
    // Data page v2 only: levels lie uncompressed before the (maybe compressed) values.
    var nullCount: Int = 0
    var definitionLevelsLength: Int = 0
    var repetitionLevelsLength: Int = 0
    var isCompressed = true

    init(_ reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: kind = try reader.readI32(field)
            case 2: uncompressedSize = try Self.size(try reader.readI32(field), "uncompressed_page_size")
            case 3: compressedSize = try Self.size(try reader.readI32(field), "compressed_page_size")
            case 5: try reader.expect(field, .structure); try readDataPageHeader(&reader)
            case 7: try reader.expect(field, .structure); try readDictionaryPageHeader(&reader)
            case 8: try reader.expect(field, .structure); try readDataPageHeaderV2(&reader)
            default: try reader.skip(field.type)
            }
        }
    }

    private static func size(_ value: Int32, _ name: String) throws -> Int {
        guard value >= 0 else { throw ParquetError("negative \(name) \(value)") }
        return Int(value)
    }

    private mutating func readDataPageHeader(_ reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: valueCount = try Self.size(try reader.readI32(field), "num_values")
            case 2: encoding = try reader.readI32(field)
            case 3: definitionLevelEncoding = try reader.readI32(field)
            default: try reader.skip(field.type)
            }
        }
    }

    private mutating func readDictionaryPageHeader(_ reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: valueCount = try Self.size(try reader.readI32(field), "num_values")
            case 2: encoding = try reader.readI32(field)
            default: try reader.skip(field.type)
            }
        }
    }

    private mutating func readDataPageHeaderV2(_ reader: inout ThriftCompactReader) throws {
        try reader.readStruct { reader, field in
            switch field.id {
            case 1: valueCount = try Self.size(try reader.readI32(field), "num_values")
            case 2: nullCount = try Self.size(try reader.readI32(field), "num_nulls")
            case 4: encoding = try reader.readI32(field)
            case 5: definitionLevelsLength = try Self.size(try reader.readI32(field), "definition_levels_byte_length")
            case 6: repetitionLevelsLength = try Self.size(try reader.readI32(field), "repetition_levels_byte_length")
            case 7: isCompressed = try reader.readBool(field.type)
            default: try reader.skip(field.type)
            }
        }
    }
}
