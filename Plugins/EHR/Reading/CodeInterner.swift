/// One shared String per distinct code: a MEDS file repeats a few thousand codes over millions of
/// rows, so rows share storage and a repeated code costs a hash of its bytes, not an allocation.
struct CodeInterner {
    private var buckets: [UInt64: [String]] = [:]

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        if let candidates = buckets[hash] {
            for candidate in candidates where Self.equal(candidate, bytes) { return candidate }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        buckets[hash, default: []].append(text)
        return text
    }

    private static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var text = text
        return text.withUTF8 { $0.count == bytes.count && $0.elementsEqual(bytes) }
    }
}
