/// MEDS timestamps as text: `YYYY-MM-DD[ T]HH:MM:SS[.ffffff]` or date-only `YYYY-MM-DD`, naive and read
/// as UTC, to and from microseconds since 1970-01-01 (negative before 1970).
public enum MEDSTime {
    public static let microsPerSecond: Int64 = 1_000_000
    public static let microsPerDay: Int64 = 86_400_000_000

    /// Microseconds since 1970 for a timestamp or date; nil when the text is not one.
    public static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Microseconds since 1970 for a timestamp or date; nil when the text is not one.
    public static func parse(_ text: Substring) -> Int64? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    /// Parses UTF-8 bytes without building a String (the CSV readers' hot path). Fractions longer than
    /// microseconds are truncated; a trailing `Z` is accepted.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var n = bytes.count
        guard n >= 10, let base = bytes.baseAddress else { return nil }
        if base[n - 1] == UInt8(ascii: "Z") { n -= 1 }
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        guard digits(base, 0, 4, &year), base[4] == UInt8(ascii: "-"), digits(base, 5, 2, &month),
              base[7] == UInt8(ascii: "-"), digits(base, 8, 2, &day) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        var micros: Int64 = 0
        if n > 10 {
            guard n >= 19, base[10] == UInt8(ascii: " ") || base[10] == UInt8(ascii: "T"),
                  digits(base, 11, 2, &hour), base[13] == UInt8(ascii: ":"), digits(base, 14, 2, &minute),
                  base[16] == UInt8(ascii: ":"), digits(base, 17, 2, &second),
                  hour < 24, minute < 60, second < 60 else { return nil }
            if n > 19 {
                guard base[19] == UInt8(ascii: "."), n > 20 else { return nil }
                var scale: Int64 = 100_000
                for i in 20..<n {
                    let d = base[i] &- UInt8(ascii: "0")
                    guard d < 10 else { return nil }
                    micros += Int64(d) * scale
                    scale /= 10
                }
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * microsPerDay + Int64(hour * 3600 + minute * 60 + second) * microsPerSecond + micros
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff` (the form MEDS CSV files and our score files use).
    public static func format(_ micros: Int64) -> String {
        let days = floorDiv(micros, microsPerDay)
        let rest = micros - days * microsPerDay
        let (year, month, day) = civil(fromDays: days)
        let seconds = Int(rest / microsPerSecond), fraction = Int(rest % microsPerSecond)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + " " + pad(seconds / 3600, 2) + ":"
            + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2) + "." + pad(fraction, 6)
    }

    /// Microseconds since 1970 for a count of days since 1970 (Parquet DATE columns).
    public static func micros(fromDays days: Int64) -> Int64 { days * microsPerDay }

    private static func digits(_ p: UnsafePointer<UInt8>, _ start: Int, _ count: Int, _ value: inout Int) -> Bool {
        var v = 0
        for i in start..<(start + count) {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { return false }
            v = v * 10 + Int(d)
        }
        value = v
        return true
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
