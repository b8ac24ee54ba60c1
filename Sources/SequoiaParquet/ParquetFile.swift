import Foundation

/// A Parquet file with a flat schema, memory-mapped; columns are read one row group at a time.
public final class ParquetFile: Sendable {
    /// The path the file was opened with; every error message starts with it.
    public let path: String
    /// The flat schema's leaf columns, in file order (nested columns are left out).
    public let columns: [ParquetColumnInfo]
    /// Rows in the whole file.
    public let rowCount: Int
    /// The writer, as the footer names it (e.g. "parquet-cpp-arrow version 17.0.0").
    public let createdBy: String?

    private let data: Data
    private let dataEnd: Int
    private let schema: ParquetSchema
    private let rowGroups: [RowGroup]

    private static let magic: [UInt8] = Array("PAR1".utf8)

    /// Opens and checks the footer of the Parquet file at `path`; throws `ParquetError`.
    public init(path: String) throws {
        self.path = path
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ParquetError("\(path): cannot read: \(error.localizedDescription)")
        }
        let size = data.count
        let footer: (FileMetaData, Int) = try data.withUnsafeBytes { bytes in
            guard size >= 12 else { throw ParquetError("\(path): \(size) bytes is too short for a Parquet file") }
            guard Array(bytes[0..<4]) == Self.magic, Array(bytes[(size - 4)...]) == Self.magic else {
                let tail = String(decoding: bytes[(size - 4)...], as: UTF8.self)
                throw ParquetError(tail == "PARE" ? "\(path): encrypted Parquet files are not supported"
                                                  : "\(path): not a Parquet file (no PAR1 magic at both ends)")
            }
            let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: size - 8, as: UInt32.self)))
            guard length <= size - 12 else {
                throw ParquetError("\(path): footer length \(length) runs past the start of the \(size)-byte file (truncated?)")
            }
            let start = size - 8 - length
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: bytes[start..<size - 8]))
            do {
                return (try FileMetaData(&reader), start)
            } catch let error as ParquetError {
                throw ParquetError("\(path): footer is corrupt: \(error.description)")
            }
        }
        let (metadata, footerStart) = footer
        dataEnd = footerStart
        rowGroups = metadata.rowGroups
        createdBy = metadata.createdBy
        do {
            schema = try ParquetSchema(metadata.schema)
        } catch let error as ParquetError {
            throw ParquetError("\(path): footer is corrupt: \(error.description)")
        }
        columns = schema.leaves.map(\.info)
        var total: Int64 = 0
        for (index, group) in rowGroups.enumerated() {
            guard group.rowCount >= 0, group.columns.count == schema.chunkCount else {
                throw ParquetError("\(path): row group \(index): footer lists \(group.columns.count) column chunks "
                    + "and \(group.rowCount) rows, schema has \(schema.chunkCount) columns")
            }
            total += group.rowCount
        }
        guard total == metadata.rowCount else {
            throw ParquetError("\(path): footer says \(metadata.rowCount) rows, its row groups hold \(total)")
        }
        rowCount = Int(total)
    }

    public var rowGroupCount: Int { rowGroups.count }

    /// Rows in row group `index` (0 ..< rowGroupCount).
    public func rowCount(inRowGroup index: Int) -> Int {
        precondition(rowGroups.indices.contains(index), "\(path): no row group \(index) (file has \(rowGroups.count))")
        return Int(rowGroups[index].rowCount)
    }

    /// The column's description, or nil when the flat schema has no such column.
    public func column(named name: String) -> ParquetColumnInfo? {
        columns.first { $0.name == name }
    }

    /// The values of column `name` in row group `rowGroup`; throws `ParquetError`.
    public func read(column name: String, rowGroup: Int) throws -> ParquetColumn {
        let context = "\(path): row group \(rowGroup), column \(name)"
        guard let leaf = schema.leaves.first(where: { $0.info.name == name }) else {
            if schema.nested.contains(name) { throw ParquetError("\(context): nested column \(name) is not supported") }
            throw ParquetError("\(context): no such column (columns: \(columns.map(\.name).joined(separator: ", ")))")
        }
        guard rowGroups.indices.contains(rowGroup) else {
            throw ParquetError("\(context): no such row group (file has \(rowGroups.count))")
        }
        let group = rowGroups[rowGroup]
        let meta = group.columns[leaf.chunkIndex]
        do {
            guard meta.type == nil || meta.type == leaf.physical else {
                throw ParquetError("column chunk holds \(meta.type!) values, schema says \(leaf.physical)")
            }
            guard meta.valueCount == group.rowCount else {
                throw ParquetError("column chunk holds \(meta.valueCount) values, row group has \(group.rowCount) rows")
            }
            return try data.withUnsafeBytes { bytes in
                let chunk = ColumnChunkReader(file: bytes, dataEnd: dataEnd, meta: meta, isOptional: leaf.info.isOptional)
                return try Self.decode(chunk, leaf)
            }
        } catch let error as ParquetError {
            throw ParquetError("\(context): \(error.description)")
        }
    }

    /// The values of column `name` in every row group, concatenated; throws `ParquetError`.
    public func read(column name: String) throws -> ParquetColumn {
        var parts: [ParquetColumn] = []
        for group in rowGroups.indices { parts.append(try read(column: name, rowGroup: group)) }
        if let joined = ParquetColumn.joined(parts) { return joined }
        // No row groups: an empty column of the right kind.
        guard let info = column(named: name) else { throw ParquetError("\(path): column \(name): no such column") }
        switch info.kind {
        case .boolean: return .boolean([])
        case .int32: return .int32([])
        case .int64: return .int64([])
        case .float: return .float([])
        case .double: return .double([])
        case .string: return .string([])
        case .binary: return .binary([])
        case .date: return .date([])
        case .timestamp: return .timestamp([])
        }
    }

    private static func decode(_ chunk: ColumnChunkReader, _ leaf: ParquetSchema.Leaf) throws -> ParquetColumn {
        let fixedLength = leaf.physical == .fixedLenByteArray ? leaf.typeLength : nil
        switch leaf.info.kind {
        case .boolean: return .boolean(try chunk.read(BooleanDecoder()))
        case .int32: return .int32(try chunk.read(FixedWidthDecoder<Int32> { Int32(truncatingIfNeeded: $0) }))
        case .date: return .date(try chunk.read(FixedWidthDecoder<Int32> { Int32(truncatingIfNeeded: $0) }))
        case .int64: return .int64(try chunk.read(FixedWidthDecoder<Int64> { $0 }))
        case .float: return .float(try chunk.read(FixedWidthDecoder<Float>(fromDelta: nil)))
        case .double: return .double(try chunk.read(FixedWidthDecoder<Double>(fromDelta: nil)))
        case .timestamp(let unit):
            if leaf.physical == .int96 { return .timestamp(try chunk.read(Int96Decoder())) }
            var values = try chunk.read(FixedWidthDecoder<Int64> { $0 })
            try TimeScale.toMicroseconds(&values, from: unit)
            return .timestamp(values)
        case .string:
            return .string(try chunk.read(ByteArrayDecoder(fixedLength: fixedLength) { String(decoding: $0, as: UTF8.self) }))
        case .binary:
            return .binary(try chunk.read(ByteArrayDecoder(fixedLength: fixedLength) { Array($0) }))
        }
    }
}
