/// Dictionary-encoded pages: a bit-width byte, then RLE / bit-packed indices into the chunk's dictionary page.
enum DictionaryDecoder {
    /// Decodes `count` indices into `indices`, each checked against the dictionary's size.
    static func indices(_ data: UnsafeRawBufferPointer, count: Int, dictionarySize: Int, into indices: inout [UInt32]) throws {
        indices.removeAll(keepingCapacity: true)
        guard count > 0 else { return }
        guard let width = data.first else { throw ParquetError("dictionary indices are missing their bit width") }
        var decoder = try HybridDecoder(UnsafeRawBufferPointer(rebasing: data[1...]), bitWidth: Int(width))
        indices.append(contentsOf: repeatElement(0, count: count))
        let largest = try indices.withUnsafeMutableBufferPointer { buffer in
            try decoder.decode(count: count, into: buffer.baseAddress!)
            return buffer.max()!
        }
        guard Int(largest) < dictionarySize else {
            throw ParquetError("dictionary index \(largest) is out of range (dictionary has \(dictionarySize) entries)")
        }
    }
}
