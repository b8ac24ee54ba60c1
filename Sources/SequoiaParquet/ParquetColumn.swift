/// The unit a timestamp column is stored in (its values are always read as microseconds).
public enum ParquetTimeUnit: Sendable {
    case milliseconds, microseconds, nanoseconds
}

/// What a column's values read as: its physical type refined by its logical annotation.
public enum ParquetValueKind: Equatable, Sendable {
    case boolean, int32, int64, float, double, string, binary, date, timestamp(ParquetTimeUnit)
}

/// One leaf column of a flat schema.
public struct ParquetColumnInfo: Equatable, Sendable {
    public let name: String
    public let kind: ParquetValueKind
    public let isOptional: Bool

    /// A column description, e.g. to compare a file's schema with the one expected.
    public init(name: String, kind: ParquetValueKind, isOptional: Bool) {
        self.name = name
        self.kind = kind
        self.isOptional = isOptional
    }
}

/// The values of one column in one row group (or several, concatenated); nil where the value is null.
public enum ParquetColumn: Equatable, Sendable {
    case boolean([Bool?]), int32([Int32?]), int64([Int64?]), float([Float?]), double([Double?])
    case string([String?]), binary([[UInt8]?])
    /// Days since 1970-01-01.
    case date([Int32?])
    /// Microseconds since 1970, whatever the stored unit (nanoseconds floor-divided).
    case timestamp([Int64?])

    /// The number of values, nulls included.
    public var count: Int {
        switch self {
        case .boolean(let v): return v.count
        case .int32(let v), .date(let v): return v.count
        case .int64(let v), .timestamp(let v): return v.count
        case .float(let v): return v.count
        case .double(let v): return v.count
        case .string(let v): return v.count
        case .binary(let v): return v.count
        }
    }

    /// The parts (row groups of one column, so all of one case) joined into one column.
    static func joined(_ parts: [ParquetColumn]) -> ParquetColumn? {
        guard let first = parts.first else { return nil }
        if parts.count == 1 { return first }
        let total = parts.reduce(0) { $0 + $1.count }
        func join<T>(_ values: (ParquetColumn) -> [T?]?) -> [T?]? {
            var result: [T?] = []
            result.reserveCapacity(total)
            for part in parts {
                guard let part = values(part) else { return nil }
                result.append(contentsOf: part)
            }
            return result
        }
        switch first {
        case .boolean: return join { if case .boolean(let v) = $0 { v } else { nil } }.map(ParquetColumn.boolean)
        case .int32: return join { if case .int32(let v) = $0 { v } else { nil } }.map(ParquetColumn.int32)
        case .int64: return join { if case .int64(let v) = $0 { v } else { nil } }.map(ParquetColumn.int64)
        case .float: return join { if case .float(let v) = $0 { v } else { nil } }.map(ParquetColumn.float)
        case .double: return join { if case .double(let v) = $0 { v } else { nil } }.map(ParquetColumn.double)
        case .string: return join { if case .string(let v) = $0 { v } else { nil } }.map(ParquetColumn.string)
        case .binary: return join { if case .binary(let v) = $0 { v } else { nil } }.map(ParquetColumn.binary)
        case .date: return join { if case .date(let v) = $0 { v } else { nil } }.map(ParquetColumn.date)
        case .timestamp: return join { if case .timestamp(let v) = $0 { v } else { nil } }.map(ParquetColumn.timestamp)
        }
    }
}
