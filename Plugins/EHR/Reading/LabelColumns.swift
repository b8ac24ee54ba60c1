/// A label file's rows as columns (from CSV or Parquet), each value already taken from the first
/// non-null of boolean_value, integer_value, float_value, categorical_value.
struct LabelColumns {
    var subjectIDs: [Int64?] = []
    var predictionTimes: [Int64?] = []
    var values: [Double?] = []
    /// Where row `i` is, for error messages ("row 12" or "row group 0, row 12").
    var locations: [(rowGroup: Int?, row: Int)] = []

    func location(_ i: Int) -> String {
        let (group, row) = locations[i]
        if let group { return "row group \(group), row \(row)" }
        return "row \(row)"
    }

    /// The MEDS label value columns, in the order a row's value is taken from.
    static let valueColumns = ["boolean_value", "integer_value", "float_value", "categorical_value"]
}
