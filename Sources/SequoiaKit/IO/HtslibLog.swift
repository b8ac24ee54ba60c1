import CHTSlib

/// Runs `body` with htslib's own stderr messages off: its failures come back to us as typed one-line errors.
public func quietHtslib<T>(_ body: () throws -> T) rethrows -> T {
    let level = hts_get_log_level()
    hts_set_log_level(HTS_LOG_OFF)
    defer { hts_set_log_level(level) }
    return try body()
}
