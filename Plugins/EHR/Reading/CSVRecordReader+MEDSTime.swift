import SequoiaKit

/// MEDS timestamps in CSV fields.
extension CSVRecordReader {
    /// Field `i` as a MEDS timestamp; nil when empty.
    func time(_ i: Int) throws -> Int64? {
        if isEmpty(i) { return nil }
        if let value = withField(i, { MEDSTime.parse(bytes: $0) }) { return value }
        throw badValue(i, "is not a timestamp (YYYY-MM-DD[ HH:MM:SS[.ffffff]])")
    }
}
