/// The flat view of a file's schema tree: the root's primitive children become columns; groups and
/// repeated fields are remembered by name so that reading them gives a clear error.
struct ParquetSchema {
    /// A readable column and where its chunks sit in each row group.
    struct Leaf {
        let info: ParquetColumnInfo
        let chunkIndex: Int
        let physical: PhysicalType
        let typeLength: Int
    }

    let leaves: [Leaf]
    let nested: Set<String>
    /// Column chunks per row group: one per primitive leaf, nested ones included.
    let chunkCount: Int

    init(_ elements: [SchemaElement]) throws {
        guard let root = elements.first else { throw ParquetError("footer has an empty schema") }
        var leaves: [Leaf] = [], nested: Set<String> = []
        var index = 1, chunk = 0
        for _ in 0..<Int(root.childCount) {
            guard index < elements.count else { throw ParquetError("schema has fewer elements than its root's \(root.childCount) children") }
            let element = elements[index]
            if element.childCount > 0 || element.repetition == 2 {
                nested.insert(element.name)
                let (elementCount, leafCount) = try Self.subtree(elements, at: index)
                index += elementCount
                chunk += leafCount
                continue
            }
            guard let physical = element.type else { throw ParquetError("schema leaf \(element.name) has no type") }
            let info = ParquetColumnInfo(name: element.name, kind: Self.kind(of: element, physical), isOptional: element.repetition == 1)
            leaves.append(Leaf(info: info, chunkIndex: chunk, physical: physical, typeLength: Int(element.typeLength)))
            index += 1
            chunk += 1
        }
        self.leaves = leaves
        self.nested = nested
        self.chunkCount = chunk
    }

    /// The number of schema elements and of primitive leaves in the subtree rooted at `start`.
    private static func subtree(_ elements: [SchemaElement], at start: Int, depth: Int = 0) throws -> (elements: Int, leaves: Int) {
        guard depth < 64 else { throw ParquetError("schema nests too deeply") }
        let element = elements[start]
        guard element.childCount > 0 else { return (1, 1) }
        var count = 1, leaves = 0
        for _ in 0..<Int(element.childCount) {
            guard start + count < elements.count else { throw ParquetError("schema group \(element.name) has missing children") }
            let child = try subtree(elements, at: start + count, depth: depth + 1)
            count += child.elements
            leaves += child.leaves
        }
        return (count, leaves)
    }

    // ConvertedType codes (the legacy annotation older writers set instead of LogicalType).
    private static let utf8: Int32 = 0, enumeration: Int32 = 4, date: Int32 = 6
    private static let timestampMillis: Int32 = 9, timestampMicros: Int32 = 10, json: Int32 = 19

    private static func kind(of element: SchemaElement, _ physical: PhysicalType) -> ParquetValueKind {
        let converted = element.convertedType
        switch physical {
        case .boolean: return .boolean
        case .int32: return element.logical == .date || converted == date ? .date : .int32
        case .int64:
            if case .timestamp(let unit)? = element.logical { return .timestamp(unit) }
            if converted == timestampMillis { return .timestamp(.milliseconds) }
            if converted == timestampMicros { return .timestamp(.microseconds) }
            return .int64
        case .int96: return .timestamp(.nanoseconds)
        case .float: return .float
        case .double: return .double
        case .byteArray:
            return element.logical == .string || [utf8, enumeration, json].contains(converted) ? .string : .binary
        case .fixedLenByteArray: return .binary
        }
    }
}
