import SequoiaTensor

/// Little-endian elements of `dtype` at `src` (any alignment) to Float32, in parallel for big tensors.
func convertToFloat(_ dtype: SafeTensorsDType, from src: UnsafeRawPointer, to dst: UnsafeMutablePointer<Float>,
                    count: Int) {
    if dtype == .F32 {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: count * 4)
        return
    }
    Parallel.forChunks(count, grain: 1 << 16) { r in
        switch dtype {
        case .F64: for i in r { dst[i] = Float(src.loadUnaligned(fromByteOffset: i * 8, as: Double.self)) }
        case .F32: break
        case .F16: for i in r { dst[i] = Float(Float16(bitPattern: src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        case .BF16: for i in r { dst[i] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)) << 16) }
        case .I64: for i in r { dst[i] = Float(src.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
        case .I32: for i in r { dst[i] = Float(src.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)) }
        case .I16: for i in r { dst[i] = Float(src.loadUnaligned(fromByteOffset: i * 2, as: Int16.self)) }
        case .I8: for i in r { dst[i] = Float(src.load(fromByteOffset: i, as: Int8.self)) }
        case .U8: for i in r { dst[i] = Float(src.load(fromByteOffset: i, as: UInt8.self)) }
        case .BOOL: for i in r { dst[i] = src.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0 }
        }
    }
}

/// Integer (or boolean) elements to Int32; nil when a value does not fit.
func convertToInt32(_ dtype: SafeTensorsDType, from src: UnsafeRawPointer, count: Int) -> [Int32]? {
    if count == 0 { return [] }
    var fits = true
    let out = [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
        let dst = buffer.baseAddress!
        for i in 0..<count {
            switch dtype {
            case .I64:
                let v = src.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)
                if let small = Int32(exactly: v) { dst[i] = small } else { dst[i] = 0; fits = false }
            case .I32: dst[i] = src.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)
            case .I16: dst[i] = Int32(src.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))
            case .I8: dst[i] = Int32(src.load(fromByteOffset: i, as: Int8.self))
            case .U8: dst[i] = Int32(src.load(fromByteOffset: i, as: UInt8.self))
            case .BOOL: dst[i] = src.load(fromByteOffset: i, as: UInt8.self) != 0 ? 1 : 0
            case .F64, .F32, .F16, .BF16: preconditionFailure("float dtype \(dtype) read as indices")
            }
        }
        initialized = count
    }
    return fits ? out : nil
}
