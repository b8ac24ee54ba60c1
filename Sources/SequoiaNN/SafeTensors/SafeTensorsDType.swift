/// Element types of the safetensors format that Sequoia reads.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .F64, .I64: return 8
        case .F32, .I32: return 4
        case .F16, .BF16, .I16: return 2
        case .I8, .U8, .BOOL: return 1
        }
    }

    /// Whether `indices(_:)` reads this type (integers and booleans, exactly).
    var isInteger: Bool {
        switch self {
        case .I64, .I32, .I16, .I8, .U8, .BOOL: return true
        case .F64, .F32, .F16, .BF16: return false
        }
    }
}
