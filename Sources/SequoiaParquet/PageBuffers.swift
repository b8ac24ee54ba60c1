/// Scratch space a column chunk's pages decode into, reused from page to page, and the step that
/// spreads a page's non-null values over its rows.
struct PageBuffers<Value> {
    /// The chunk's dictionary page, once read.
    var dictionary: [Value]?
    /// Definition levels of the current page (optional columns only): 1 present, 0 null.
    var levels: [UInt32] = []
    /// The current page's non-null values, or their dictionary indices when `usesDictionary`.
    var values: [Value] = []
    var indices: [UInt32] = []
    var usesDictionary = false

    /// Appends the current page's `count` rows (`present` of them non-null) to `result`, nil where the levels say null.
    func appendPage(count: Int, present: Int, isOptional: Bool, to result: inout [Value?]) throws {
        // The decoders guarantee these sizes; checking them once keeps the unchecked loops below safe.
        let decoded = usesDictionary ? indices.count : values.count
        guard decoded == (isOptional ? present : count), !isOptional || levels.count >= count,
              !usesDictionary || dictionary != nil else {
            throw ParquetError("page decoded \(decoded) values for \(count) rows with \(present) present")
        }
        levels.withUnsafeBufferPointer { levels in
            let rowLevels = isOptional ? levels : nil
            if usesDictionary, let dictionary {
                dictionary.withUnsafeBufferPointer { entries in
                    indices.withUnsafeBufferPointer { indices in
                        Self.spread(count, rowLevels, into: &result) { entries[Int(indices[$0])] }
                    }
                }
            } else {
                values.withUnsafeBufferPointer { values in
                    Self.spread(count, rowLevels, into: &result) { values[$0] }
                }
            }
        }
    }

    @inline(__always)
    private static func spread(_ count: Int, _ levels: UnsafeBufferPointer<UInt32>?, into result: inout [Value?],
                               _ value: (Int) -> Value) {
        guard let levels else {
            for i in 0..<count { result.append(value(i)) }
            return
        }
        var next = 0
        for i in 0..<count {
            if levels[i] != 0 {
                result.append(value(next))
                next += 1
            } else {
                result.append(nil)
            }
        }
    }
}
