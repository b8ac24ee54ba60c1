/// The records of a CSV or TSV file (RFC 4180 quoting: fields in double quotes may hold the delimiter, line
/// breaks and doubled quotes), each with the line it starts on. Blank lines are skipped; a UTF-8 BOM is dropped.
struct DelimitedTable {
    /// The first record's fields.
    let header: [String]
    /// Every later record: its starting line and fields, each record as wide as the header.
    let rows: [(line: Int, fields: [String])]

    init(bytes: [UInt8], delimiter: UInt8, file: String) throws {
        let quote = UInt8(ascii: "\""), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = [], field: [UInt8] = []
        var line = 1, recordLine = 1, quoteLine = 0
        var inQuotes = false, fieldWasQuoted = false
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        var i = hasBOM ? 3 : 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if fields != [""] { records.append((recordLine, fields)) }
            fields.removeAll()
        }
        func failure(_ message: String) -> LabelledTableError {
            LabelledTableError(file: file, line: line, message: "field \(fields.count + 1): \(message)")
        }

        while i < bytes.count {
            let byte = bytes[i]
            i += 1
            if inQuotes {
                if byte == quote {
                    if i < bytes.count && bytes[i] == quote { field.append(quote); i += 1 } else { inQuotes = false }
                } else {
                    if byte == newline { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case delimiter:
                endField()
            case newline:
                endRecord()
                line += 1
                recordLine = line
            case carriageReturn where i < bytes.count && bytes[i] == newline:
                continue
            case quote:
                guard field.isEmpty && !fieldWasQuoted else { throw failure("a quote inside an unquoted field") }
                inQuotes = true
                fieldWasQuoted = true
                quoteLine = line
            default:
                if fieldWasQuoted { throw failure("text after a closing quote") }
                field.append(byte)
            }
        }
        if inQuotes {
            throw LabelledTableError(file: file, line: quoteLine, message: "field \(fields.count + 1): quote never closed")
        }
        if !fields.isEmpty || !field.isEmpty || fieldWasQuoted { endRecord() }

        guard let header = records.first?.fields else {
            throw LabelledTableError(file: file, line: 0, message: "empty file: no header row")
        }
        for record in records.dropFirst() where record.fields.count != header.count {
            throw LabelledTableError(file: file, line: record.line,
                                     message: "\(record.fields.count) fields where the header has \(header.count)")
        }
        self.header = header
        rows = Array(records.dropFirst())
    }
}
