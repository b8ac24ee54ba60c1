/// Dictionary-encoded pages: a bit-width byte, then RLE / bit-packed indices into the chunk's dictionary page.
struct DictionaryDecoder<Value> {
    let values: [Value]
    private var indices: [UInt32] = []

    init(values: [Value]) {
        self.values = values
    }

    /// Appends the `count` values whose indices `data` holds.
    mutating func decode(_ data: UnsafeRawBufferPointer, count: Int, into out: inout [Value]) throws {
        guard count > 0 else { return }
        guard let width = data.first else { throw ParquetError("dictionary indices are missing their bit width") }
        var decoder = try HybridDecoder(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(width))
        indices.removeAll(keepingCapacity: true)
        indices.append(contentsOf: repeatElement(0, count: count))
        try indices.withUnsafeMutableBufferPointer { try decoder.decode(count: count, into: $0.baseAddress!) }
        out.reserveCapacity(out.count + count)
        let size = values.count
        try values.withUnsafeBufferPointer { dictionary in
            for index in indices {
                guard Int(index) < size else {
                    throw ParquetError("dictionary index \(index) is out of range (dictionary has \(size) entries)")
                }
                out.append(dictionary[Int(index)])
            }
        }
    }
}
