/// Conversion of stored timestamps to microseconds, the unit every timestamp column is read in.
enum TimeScale {
    /// Floor division, so times before 1970 round down like times after it.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    /// Converts stored values in `unit` to microseconds in place.
    static func toMicroseconds(_ values: inout [Int64?], from unit: ParquetTimeUnit) throws {
        switch unit {
        case .microseconds: return
        case .nanoseconds:
            for i in values.indices { if let v = values[i] { values[i] = floorDivide(v, 1000) } }
        case .milliseconds:
            for i in values.indices {
                guard let v = values[i] else { continue }
                let (micros, overflow) = v.multipliedReportingOverflow(by: 1000)
                guard !overflow else { throw ParquetError("millisecond timestamp \(v) overflows microseconds (row \(i))") }
                values[i] = micros
            }
        }
    }
}
