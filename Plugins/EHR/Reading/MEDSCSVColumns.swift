import Foundation
import SequoiaKit

/// MEDS rows from a CSV file (plain or gzip): columns found by header name; `text_value` is optional.
struct MEDSCSVColumns: MEDSColumnSource {
    let path: String
    /// Rows per chunk: bounds the memory of the column arrays on large files.
    static let chunkRows = 1 << 16

    var progressUnit: String { "B" }

    var progressTotal: Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int) ?? 1
    }

    func forEachChunk(_ body: (MEDSColumns, Int) throws -> Void) throws {
        let reader = try CSVRecordReader(path)
        let subject = try reader.requireColumn("subject_id"), time = try reader.requireColumn("time")
        let code = try reader.requireColumn("code"), numeric = try reader.requireColumn("numeric_value")
        let text = reader.column("text_value")
        var codes = CodeInterner()
        var chunk = MEDSColumns()
        var reported = 0
        func flush() throws {
            guard chunk.count > 0 else { return }
            let offset = reader.fileOffset
            try body(chunk, offset - reported)
            reported = offset
            chunk = MEDSColumns(firstRow: reader.row + 1)
        }
        while try reader.next() {
            chunk.subjectIDs.append(try reader.int64(subject))
            chunk.times.append(try reader.time(time))
            chunk.codes.append(reader.isEmpty(code) ? nil : reader.withField(code) { codes.intern($0) })
            chunk.numericValues.append(try reader.double(numeric))
            if let text { chunk.textValues.append(reader.isEmpty(text) ? nil : reader.string(text)) }
            if chunk.count == Self.chunkRows { try flush() }
        }
        try flush()
    }
}
