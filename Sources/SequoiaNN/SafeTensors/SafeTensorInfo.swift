/// Where one tensor lives in a safetensors file.
public struct SafeTensorInfo: Equatable, Sendable {
    public let name: String
    public let dtype: SafeTensorsDType
    public let shape: [Int]
    /// Byte range within the data section (after the header).
    public let dataOffsets: Range<Int>

    /// Element count.
    public var count: Int { shape.reduce(1, *) }
}
