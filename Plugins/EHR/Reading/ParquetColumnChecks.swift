import SequoiaKit
import SequoiaParquet

/// Typed access to the columns of a MEDS Parquet file (events, labels, subject splits): each column is
/// checked for presence and type once, and values come back as the optionals the assemblers expect.
struct ParquetColumnChecks {
    let file: ParquetFile

    init(_ path: String) throws {
        do { file = try ParquetFile(path: path) } catch { throw CommandError("\(error)") }
    }

    var path: String { file.path }

    /// The column's kind; a missing column is an error listing the columns that exist.
    func kind(_ name: String) throws -> ParquetValueKind {
        guard let info = file.columns.first(where: { $0.name == name }) else {
            throw CommandError("\(path): no column '\(name)' (columns: \(file.columns.map(\.name).joined(separator: ", ")))")
        }
        return info.kind
    }

    func has(_ name: String) -> Bool { file.columns.contains { $0.name == name } }

    /// Throws unless column `name` is one of `kinds` (described as `expected` in the error).
    func require(_ name: String, _ expected: String, _ accepts: (ParquetValueKind) -> Bool) throws {
        let found = try kind(name)
        guard accepts(found) else { throw CommandError("\(path): column \(name): \(expected) expected, found \(found)") }
    }

    func read(_ name: String, rowGroup: Int) throws -> ParquetColumn {
        do { return try file.read(column: name, rowGroup: rowGroup) } catch let error as CommandError { throw error } catch {
            throw CommandError("\(error)")
        }
    }

    static func isInteger(_ kind: ParquetValueKind) -> Bool { kind == .int64 || kind == .int32 }
    static func isTime(_ kind: ParquetValueKind) -> Bool {
        if case .timestamp = kind { return true }
        return kind == .date
    }
    static func isNumber(_ kind: ParquetValueKind) -> Bool { [.double, .float, .int64, .int32].contains(kind) }

    func integers(_ name: String, rowGroup: Int) throws -> [Int64?] {
        switch try read(name, rowGroup: rowGroup) {
        case .int64(let v): return v
        case .int32(let v): return v.map { $0.map(Int64.init) }
        default: throw CommandError("\(path): row group \(rowGroup), column \(name): not an integer column")
        }
    }

    /// Timestamps, or dates as midnight, in microseconds since 1970.
    func times(_ name: String, rowGroup: Int) throws -> [Int64?] {
        switch try read(name, rowGroup: rowGroup) {
        case .timestamp(let v): return v
        case .date(let v): return v.map { $0.map { MEDSTime.micros(fromDays: Int64($0)) } }
        default: throw CommandError("\(path): row group \(rowGroup), column \(name): not a timestamp column")
        }
    }

    /// Numbers as Double; NaN reads as null, as pandas writes missing floats.
    func numbers(_ name: String, rowGroup: Int) throws -> [Double?] {
        switch try read(name, rowGroup: rowGroup) {
        case .double(let v): return v.map { $0.flatMap { $0.isNaN ? nil : $0 } }
        case .float(let v): return v.map { $0.flatMap { $0.isNaN ? nil : Double($0) } }
        case .int64(let v): return v.map { $0.map(Double.init) }
        case .int32(let v): return v.map { $0.map(Double.init) }
        default: throw CommandError("\(path): row group \(rowGroup), column \(name): not a numeric column")
        }
    }

    func strings(_ name: String, rowGroup: Int) throws -> [String?] {
        guard case .string(let v) = try read(name, rowGroup: rowGroup) else {
            throw CommandError("\(path): row group \(rowGroup), column \(name): not a string column")
        }
        return v
    }
}
