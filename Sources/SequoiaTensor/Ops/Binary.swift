/// Elementwise arithmetic with NumPy broadcasting, and its gradients.

enum BinaryKind { case add, sub, mul, div }

@inline(__always)
private func apply(_ kind: BinaryKind, _ a: Float, _ b: Float) -> Float {
    switch kind {
    case .add: return a + b
    case .sub: return a - b
    case .mul: return a * b
    case .div: return a / b
    }
}

/// out = a (op) b, with fast paths for equal shapes and a scalar right operand.
private func binaryKernel(_ kind: BinaryKind, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape)
    let out = Tensor(uninitialized: shape)
    let pa = a.pointer, pb = b.pointer, po = out.pointer
    let n = out.count
    if a.count == n && b.count == n {
        Parallel.forChunks(n, grain: 1 << 16) { r in
            switch kind {
            case .add: for i in r { po[i] = pa[i] + pb[i] }
            case .sub: for i in r { po[i] = pa[i] - pb[i] }
            case .mul: for i in r { po[i] = pa[i] * pb[i] }
            case .div: for i in r { po[i] = pa[i] / pb[i] }
            }
        }
    } else if b.count == 1 && a.count == n {
        let s = pb[0]
        Parallel.forChunks(n, grain: 1 << 16) { r in
            switch kind {
            case .add: for i in r { po[i] = pa[i] + s }
            case .sub: for i in r { po[i] = pa[i] - s }
            case .mul: for i in r { po[i] = pa[i] * s }
            case .div: for i in r { po[i] = pa[i] / s }
            }
        }
    } else if a.count == n, b.count > 0, n % b.count == 0, Array(shape.suffix(b.rank)) == b.shape {
        // Row broadcast (bias over the last dimensions): the common case in layers.
        let m = b.count, rows = n / m
        Parallel.forChunks(rows, grain: max(1, (1 << 14) / m)) { r in
            for row in r {
                let base = row * m
                for j in 0..<m { po[base + j] = apply(kind, pa[base + j], pb[j]) }
            }
        }
    } else {
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        forEachBroadcast(shape, sa, sb) { o, ia, ib in po[o] = apply(kind, pa[ia], pb[ib]) }
    }
    return out
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
