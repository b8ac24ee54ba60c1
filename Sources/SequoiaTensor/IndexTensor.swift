/// Integer tensor for token ids, labels and positions. Ids live as Int32 (vocabularies and
/// -100 ignore labels fit); Int64 files convert on load.
public struct IndexTensor: Equatable {
    public let shape: [Int]
    public var scalars: [Int32]

    public init(shape: [Int], scalars: [Int32]) {
        precondition(scalars.count == shape.reduce(1, *), "\(scalars.count) ids for shape \(shape)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(shape: [Int], int64 values: [Int64]) {
        self.init(shape: shape, scalars: values.map { Int32(truncatingIfNeeded: $0) })
    }

    public var count: Int { scalars.count }
    public var rank: Int { shape.count }

    public func reshaped(_ newShape: [Int]) -> IndexTensor {
        IndexTensor(shape: newShape, scalars: scalars)
    }

    public subscript(i: Int) -> Int32 { scalars[i] }
}
