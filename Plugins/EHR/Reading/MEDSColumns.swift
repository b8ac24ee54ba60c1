/// A chunk of MEDS rows as columns, as one source (a CSV file, a Parquet row group) yields them; nulls
/// are kept so the assembler reports them with their location.
struct MEDSColumns {
    var subjectIDs: [Int64?] = []
    var times: [Int64?] = []
    var codes: [String?] = []
    var numericValues: [Double?] = []
    /// Empty when the source has no text_value column.
    var textValues: [String?] = []
    /// The Parquet row group the rows come from; nil for CSV.
    var rowGroup: Int?
    /// The 1-based row number (within the file, or the row group) of the chunk's first row.
    var firstRow = 1

    var count: Int { subjectIDs.count }

    /// Where row `i` of the chunk is, for error messages: "row 1043" or "row group 2, row 17".
    func location(_ i: Int) -> String {
        if let rowGroup { return "row group \(rowGroup), row \(firstRow + i)" }
        return "row \(firstRow + i)"
    }
}

/// Something that yields a file's MEDS rows in order, chunk by chunk.
protocol MEDSColumnSource {
    var path: String { get }
    /// Bytes (CSV) or row groups (Parquet) the progress bar counts.
    var progressTotal: Int { get }
    /// What progress counts ("B", "row group").
    var progressUnit: String { get }
    /// Calls `body` with each chunk in file order and the progress units it covers.
    func forEachChunk(_ body: (MEDSColumns, Int) throws -> Void) throws
}
