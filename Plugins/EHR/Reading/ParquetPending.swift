import SequoiaKit

// Placeholder until the Parquet reader (branch `parquet`) is merged. To activate the real adapters (same
// names and signatures): delete this file and drop `.pending` from ParquetColumnChecks.swift.pending,
// MEDSParquetColumns.swift.pending and MEDSParquetTables.swift.pending.

struct MEDSParquetColumns: MEDSColumnSource {
    let path: String
    var progressTotal: Int { 1 }

    init(_ path: String) throws {
        self.path = path
        throw CommandError("\(path): Parquet input needs the Parquet reader, not yet in this build; use the CSV form")
    }

    func forEachChunk(_ body: (MEDSColumns, Int) throws -> Void) throws {}
}

enum MEDSParquetTables {
    static func subjectSplits(_ path: String) throws -> [Int64: SubjectSplit] {
        throw CommandError("\(path): Parquet input needs the Parquet reader, not yet in this build")
    }

    static func labels(_ path: String) throws -> LabelColumns {
        throw CommandError("\(path): Parquet input needs the Parquet reader, not yet in this build; use the CSV form")
    }
}
