/// Elementwise arithmetic with NumPy broadcasting, and its gradients.

enum BinaryKind { case add, sub, mul, div }

/// One arithmetic op as a type, so each loop below is specialised and vectorised for it
/// (a `switch` or closure inside the loop keeps LLVM from vectorising).
private protocol BinaryOp {
    static func apply(_ a: FloatVector, _ b: FloatVector) -> FloatVector
    static func apply(_ a: Float, _ b: Float) -> Float
}
private enum AddOp: BinaryOp {
    @_transparent static func apply(_ a: FloatVector, _ b: FloatVector) -> FloatVector { a + b }
    @_transparent static func apply(_ a: Float, _ b: Float) -> Float { a + b }
}
private enum SubOp: BinaryOp {
    @_transparent static func apply(_ a: FloatVector, _ b: FloatVector) -> FloatVector { a - b }
    @_transparent static func apply(_ a: Float, _ b: Float) -> Float { a - b }
}
private enum MulOp: BinaryOp {
    @_transparent static func apply(_ a: FloatVector, _ b: FloatVector) -> FloatVector { a * b }
    @_transparent static func apply(_ a: Float, _ b: Float) -> Float { a * b }
}
private enum DivOp: BinaryOp {
    @_transparent static func apply(_ a: FloatVector, _ b: FloatVector) -> FloatVector { a / b }
    @_transparent static func apply(_ a: Float, _ b: Float) -> Float { a / b }
}

/// po[i] = pa[i] (op) pb[i] over `n` elements.
@inline(__always)
private func elementwise<Op: BinaryOp>(_: Op.Type, _ pa: UnsafePointer<Float>, _ pb: UnsafePointer<Float>,
                                       _ po: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i + 8 <= n {
        VectorMath.store(Op.apply(VectorMath.load(pa + i), VectorMath.load(pb + i)), po + i)
        i += 8
    }
    while i < n { po[i] = Op.apply(pa[i], pb[i]); i += 1 }
}

/// po[i] = pa[i] (op) s over `n` elements.
@inline(__always)
private func withScalar<Op: BinaryOp>(_: Op.Type, _ pa: UnsafePointer<Float>, _ s: Float,
                                      _ po: UnsafeMutablePointer<Float>, _ n: Int) {
    let sv = FloatVector(repeating: s)
    var i = 0
    while i + 8 <= n {
        VectorMath.store(Op.apply(VectorMath.load(pa + i), sv), po + i)
        i += 8
    }
    while i < n { po[i] = Op.apply(pa[i], s); i += 1 }
}

private func binaryKernel<Op: BinaryOp>(_: Op.Type, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape)
    let out = Tensor(uninitialized: shape)
    let pa = a.pointer, pb = b.pointer, po = out.pointer
    let n = out.count
    if a.count == n && b.count == n {
        Parallel.forChunks(n, grain: 1 << 16) { r in elementwise(Op.self, pa + r.lowerBound, pb + r.lowerBound, po + r.lowerBound, r.count) }
    } else if b.count == 1 && a.count == n {
        let s = pb[0]
        Parallel.forChunks(n, grain: 1 << 16) { r in withScalar(Op.self, pa + r.lowerBound, s, po + r.lowerBound, r.count) }
    } else if a.count == n, b.count > 0, n % b.count == 0, Array(shape.suffix(b.rank)) == b.shape {
        // Row broadcast (bias over the last dimensions): the common case in layers.
        let m = b.count, rows = n / m
        Parallel.forChunks(rows, grain: max(1, (1 << 14) / m)) { r in
            for row in r { elementwise(Op.self, pa + row * m, pb, po + row * m, m) }
        }
    } else {
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        forEachBroadcast(shape, sa, sb) { o, ia, ib in po[o] = Op.apply(pa[ia], pb[ib]) }
    }
    return out
}

/// out = a (op) b, with fast paths for equal shapes, a scalar right operand and row broadcasts.
private func binaryKernel(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) -> Tensor {
    switch kind {
    case .add: return binaryKernel(AddOp.self, a, b)
    case .sub: return binaryKernel(SubOp.self, a, b)
    case .mul: return binaryKernel(MulOp.self, a, b)
    case .div: return binaryKernel(DivOp.self, a, b)
    }
}

private func binary(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) -> Tensor {
    let out = binaryKernel(kind, a, b)
    // Capture the output's storage, not the output: the output owns this closure.
    let outStorage = out.storage, outShape = out.shape
    return out.recordingGrad([a, b]) { g in
        switch kind {
        case .add:
            return [a.requiresGrad ? g.sumToShape(a.shape) : nil, b.requiresGrad ? g.sumToShape(b.shape) : nil]
        case .sub:
            return [a.requiresGrad ? g.sumToShape(a.shape) : nil,
                    b.requiresGrad ? binaryKernel(.mul, g, Tensor(-1)).sumToShape(b.shape) : nil]
        case .mul:
            return [a.requiresGrad ? binaryKernel(.mul, g, b).sumToShape(a.shape) : nil,
                    b.requiresGrad ? binaryKernel(.mul, g, a).sumToShape(b.shape) : nil]
        case .div:
            // d(a/b)/db = -a/b^2 = -out/b
            let gb: Tensor? = b.requiresGrad
                ? binaryKernel(.div, binaryKernel(.mul, g, Tensor(storage: outStorage, shape: outShape)),
                               binaryKernel(.mul, b, Tensor(-1))).sumToShape(b.shape)
                : nil
            return [a.requiresGrad ? binaryKernel(.div, g, b).sumToShape(a.shape) : nil, gb]
        }
    }
}

extension Tensor {
    public static func + (a: Tensor, b: Tensor) -> Tensor { binary(.add, a, b) }
    public static func - (a: Tensor, b: Tensor) -> Tensor { binary(.sub, a, b) }
    public static func * (a: Tensor, b: Tensor) -> Tensor { binary(.mul, a, b) }
    public static func / (a: Tensor, b: Tensor) -> Tensor { binary(.div, a, b) }

    public static func + (a: Tensor, s: Float) -> Tensor { binary(.add, a, Tensor(s)) }
    public static func - (a: Tensor, s: Float) -> Tensor { binary(.sub, a, Tensor(s)) }
    public static func * (a: Tensor, s: Float) -> Tensor { binary(.mul, a, Tensor(s)) }
    public static func / (a: Tensor, s: Float) -> Tensor { binary(.div, a, Tensor(s)) }
    public static func + (s: Float, a: Tensor) -> Tensor { binary(.add, a, Tensor(s)) }
    public static func * (s: Float, a: Tensor) -> Tensor { binary(.mul, a, Tensor(s)) }
    public static func - (s: Float, a: Tensor) -> Tensor { binary(.sub, Tensor(s), a) }

    public static prefix func - (a: Tensor) -> Tensor { binary(.mul, a, Tensor(-1)) }
}
