extension Array {
    /// Room for `extra` more elements. Grows at least geometrically: `reserveCapacity` allocates exactly
    /// what it is asked for, so reserving a little more for every page or row group would copy all the
    /// values read so far each time (quadratic in the file's size).
    mutating func reserveMore(_ extra: Int) {
        let needed = count + extra
        if needed > capacity { reserveCapacity(Swift.max(needed, capacity * 2)) }
    }
}
