import Foundation

/// A Parquet file with a flat schema, memory-mapped; a column is read per row group or across the whole file.
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
            guard Array(bytes[0..<4]) == Self.magic else { throw ParquetError("\(path): not a Parquet file (no PAR1 magic at the start)") }
            guard Array(bytes[(size - 4)...]) == Self.magic else {
                let tail = String(decoding: bytes[(size - 4)...], as: UTF8.self)
                throw ParquetError(tail == "PARE" ? "\(path): encrypted Parquet files are not supported"
                                                  : "\(path): no PAR1 magic at the end (truncated file?)")
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
            let (sum, overflow) = total.addingReportingOverflow(group.rowCount)
            guard !overflow else { throw ParquetError("\(path): row group \(index): row counts overflow") }
            total = sum
        }
        guard total == metadata.rowCount else {
            throw ParquetError("\(path): footer says \(metadata.rowCount) rows, its row groups hold \(total)")
        }
        rowCount = Int(total)
    }

    /// The number of row groups.
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
        let leaf = try leaf(named: name, context: "\(path): row group \(rowGroup), column \(name)")
        guard rowGroups.indices.contains(rowGroup) else {
            throw ParquetError("\(path): row group \(rowGroup), column \(name): no such row group (file has \(rowGroups.count))")
        }
        return try read(leaf, rowGroups: rowGroup..<rowGroup + 1)
    }

    /// The values of column `name` in every row group, concatenated; throws `ParquetError`.
    public func read(column name: String) throws -> ParquetColumn {
        try read(try leaf(named: name, context: "\(path): column \(name)"), rowGroups: rowGroups.indices)
    }

    private func leaf(named name: String, context: String) throws -> ParquetSchema.Leaf {
        if let leaf = schema.leaves.first(where: { $0.info.name == name }) { return leaf }
        if schema.nested.contains(name) { throw ParquetError("\(context): nested column \(name) is not supported") }
        throw ParquetError("\(context): no such column (columns: \(columns.map(\.name).joined(separator: ", ")))")
    }

    private func read(_ leaf: ParquetSchema.Leaf, rowGroups groups: Range<Int>) throws -> ParquetColumn {
        // Every row group's chunk appends to one array, so whole-file reads copy nothing.
        func values<D: ValueDecoder>(_ decoder: D) throws -> [D.Value?] {
            var result: [D.Value?] = []
            // One allocation for all the row groups (capped, so a lying footer cannot reserve terabytes).
            result.reserveCapacity(min(groups.reduce(0) { $0 + Int(rowGroups[$1].rowCount) }, 1 << 26))
            for index in groups { try readChunk(leaf, rowGroup: index, decoder, into: &result) }
            return result
        }
        let fixedLength = leaf.physical == .fixedLenByteArray ? leaf.typeLength : nil
        switch leaf.info.kind {
        case .boolean: return .boolean(try values(BooleanDecoder()))
        case .int32: return .int32(try values(FixedWidthDecoder<Int32> { Int32(truncatingIfNeeded: $0) }))
        case .date: return .date(try values(FixedWidthDecoder<Int32> { Int32(truncatingIfNeeded: $0) }))
        case .int64: return .int64(try values(FixedWidthDecoder<Int64> { $0 }))
        case .float: return .float(try values(FixedWidthDecoder<Float>(fromDelta: nil)))
        case .double: return .double(try values(FixedWidthDecoder<Double>(fromDelta: nil)))
        case .timestamp(let unit):
            if leaf.physical == .int96 { return .timestamp(try values(Int96Decoder())) }
            var micros = try values(FixedWidthDecoder<Int64> { $0 })
            do {
                try TimeScale.toMicroseconds(&micros, from: unit)
            } catch let error as ParquetError {
                throw ParquetError("\(path): column \(leaf.info.name): \(error.description)")
            }
            return .timestamp(micros)
        case .string:
            return .string(try values(ByteArrayDecoder(fixedLength: fixedLength) { String(decoding: $0, as: UTF8.self) }))
        case .binary:
            return .binary(try values(ByteArrayDecoder(fixedLength: fixedLength) { Array($0) }))
        }
    }

    /// Appends one chunk's values, with errors naming the file, row group, column and page.
    private func readChunk<D: ValueDecoder>(_ leaf: ParquetSchema.Leaf, rowGroup: Int, _ decoder: D,
                                            into result: inout [D.Value?]) throws {
        let context = "\(path): row group \(rowGroup), column \(leaf.info.name)"
        let group = rowGroups[rowGroup]
        let meta = group.columns[leaf.chunkIndex]
        do {
            guard meta.type == nil || meta.type == leaf.physical else {
                throw ParquetError("column chunk holds \(meta.type!) values, schema says \(leaf.physical)")
            }
            // A footer whose chunks are listed out of schema order would otherwise read the wrong column.
            guard meta.path.isEmpty || meta.path == [leaf.info.name] else {
                throw ParquetError("column chunk is for \(meta.path.joined(separator: ".")), not this column")
            }
            guard meta.valueCount == group.rowCount else {
                throw ParquetError("column chunk holds \(meta.valueCount) values, row group has \(group.rowCount) rows")
            }
            try data.withUnsafeBytes { bytes in
                try ColumnChunkReader(file: bytes, dataEnd: dataEnd, meta: meta, isOptional: leaf.info.isOptional)
                    .read(decoder, into: &result)
            }
        } catch let error as PageError {
            throw ParquetError("\(context), page \(error.page): \(error.error.description)")
        } catch let error as ParquetError {
            throw ParquetError("\(context): \(error.description)")
        }
    }
}
