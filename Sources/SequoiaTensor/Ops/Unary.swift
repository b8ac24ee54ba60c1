import Foundation

// Elementwise functions and their gradients. Each op is a small kernel type (its SIMD value
// and its fused single-pass gradient); one generic driver runs any kernel over parallel
// chunks. Kernels are types rather than closures because generic specialization reliably
// inlines them into the loop, while a closure this size is left as a call per vector.

/// The tensor an op's backward reads, whichever gives the cheaper derivative; only that one
/// is kept alive by the graph.
private enum Saved { case input, output }

private protocol UnaryKernel {
    static var saved: Saved { get }
    /// Memory-bound kernels split at 32K elements; libm-per-element ones much earlier.
    var grain: Int { get }
    func forward(_ x: FloatVector) -> FloatVector
    /// The input gradient from the saved input or output and the output gradient.
    func backward(_ saved: FloatVector, _ gradOut: FloatVector) -> FloatVector
}

extension UnaryKernel {
    var grain: Int { 1 << 15 }

    /// y[i] = forward(x[i]): whole vectors, then one zero-padded partial vector so the
    /// tail runs the same code.
    func forwardChunk(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let w = VectorMath.width
        var i = 0
        while i + w <= n {
            VectorMath.store(forward(VectorMath.load(x + i)), y + i)
            i += w
        }
        guard i < n else { return }
        var v = FloatVector()
        for k in 0..<(n - i) { v[k] = x[i + k] }
        let r = forward(v)
        for k in 0..<(n - i) { y[i + k] = r[k] }
    }

    /// d[i] = backward(s[i], g[i]), with the same tail handling.
    func backwardChunk(_ s: UnsafePointer<Float>, _ g: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        let w = VectorMath.width
        var i = 0
        while i + w <= n {
            VectorMath.store(backward(VectorMath.load(s + i), VectorMath.load(g + i)), d + i)
            i += w
        }
        guard i < n else { return }
        var vs = FloatVector(), vg = FloatVector()
        for k in 0..<(n - i) { vs[k] = s[i + k]; vg[k] = g[i + k] }
        let r = backward(vs, vg)
        for k in 0..<(n - i) { d[i + k] = r[k] }
    }
}

private func unary<K: UnaryKernel>(_ x: Tensor, _ kernel: K) -> Tensor {
    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, po = out.pointer
    Parallel.forChunks(x.count, grain: kernel.grain) { r in
        kernel.forwardChunk(px + r.lowerBound, po + r.lowerBound, r.count)
    }
    // Keep the storage, not the output tensor: the output owns this closure, and a cycle
    // would leak both whenever backward never runs.
    let kept = K.saved == .input ? x.storage : out.storage
    return out.recordingGrad([x]) { g in
        let dx = Tensor(uninitialized: g.shape)
        let ps = kept.pointer, pg = g.pointer, pd = dx.pointer
        Parallel.forChunks(g.count, grain: kernel.grain) { r in
            kernel.backwardChunk(ps + r.lowerBound, pg + r.lowerBound, pd + r.lowerBound, r.count)
        }
        return [dx]
    }
}

/// A scalar libm function applied lane by lane (general powers).
@_transparent
private func lanes(_ v: FloatVector, _ f: (Float) -> Float) -> FloatVector {
    var r = v
    for k in 0..<VectorMath.width { r[k] = f(v[k]) }
    return r
}

private let libmGrain = 1 << 11

private struct Exp: UnaryKernel {
    static var saved: Saved { .output }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.exp(x) }
    @_transparent func backward(_ y: FloatVector, _ g: FloatVector) -> FloatVector { g * y }
}

private struct Log: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.log(x) }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector { g / x }
}

private struct Sqrt: UnaryKernel {
    static var saved: Saved { .output }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.sqrt(x) }
    @_transparent func backward(_ y: FloatVector, _ g: FloatVector) -> FloatVector { 0.5 * g / y }
}

private struct Rsqrt: UnaryKernel {
    static var saved: Saved { .output }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { 1 / VectorMath.sqrt(x) }
    @_transparent func backward(_ y: FloatVector, _ g: FloatVector) -> FloatVector { -0.5 * g * y * y * y }
}

private struct Pow: UnaryKernel {
    static var saved: Saved { .input }
    let p: Float
    /// The common exponents avoid powf, which costs ~20x a multiply.
    var isCheap: Bool { p == 0 || p == 1 || p == 2 || p == 3 || p == 0.5 || p == -1 }
    var grain: Int { isCheap ? 1 << 15 : libmGrain }

    @_transparent func forward(_ x: FloatVector) -> FloatVector {
        switch p {
        case 0: return FloatVector(repeating: 1)
        case 1: return x
        case 2: return x * x
        case 3: return x * x * x
        case 0.5: return VectorMath.sqrt(x)
        case -1: return 1 / x
        default: return lanes(x) { Foundation.pow($0, p) }
        }
    }

    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        switch p {
        case 0: return FloatVector()
        case 1: return g
        case 2: return 2 * x * g
        case 3: return 3 * x * x * g
        case 0.5: return 0.5 * g / VectorMath.sqrt(x)
        case -1: return -g / (x * x)
        default: return p * g * lanes(x) { Foundation.pow($0, p - 1) }
        }
    }
}

private struct Tanh: UnaryKernel {
    static var saved: Saved { .output }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.tanh(x) }
    @_transparent func backward(_ y: FloatVector, _ g: FloatVector) -> FloatVector { g * (1 - y * y) }
}

private struct Sigmoid: UnaryKernel {
    static var saved: Saved { .output }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.sigmoid(x) }
    @_transparent func backward(_ y: FloatVector, _ g: FloatVector) -> FloatVector { g * y * (1 - y) }
}

private struct Silu: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { x * VectorMath.sigmoid(x) }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        let s = VectorMath.sigmoid(x)
        return g * s * (1 + x * (1 - s))
    }
}

private struct Gelu: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { x * VectorMath.normal(x).cdf }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        let (cdf, pdf) = VectorMath.normal(x)
        return g * cdf.addingProduct(x, pdf)
    }
}

/// 0.5 (1 + tanh(u)) = sigmoid(2u): the same function, without the cancellation of 1 + tanh
/// in the negative tail.
private struct GeluTanh: UnaryKernel {
    static var saved: Saved { .input }
    /// 2 sqrt(2 / pi), and the cubic coefficient.
    static let scale: Float = 1.595_769_121_605_730_8
    static let cubic: Float = 0.044_715

    @_transparent func forward(_ x: FloatVector) -> FloatVector {
        x * VectorMath.sigmoid(Self.scale * x.addingProduct(Self.cubic * x, x * x))
    }

    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        let x2 = x * x
        let s = VectorMath.sigmoid(Self.scale * x.addingProduct(Self.cubic * x, x2))
        let du = Self.scale * (3 * Self.cubic * x2 + 1)
        return g * s * (x * (1 - s) * du + 1)
    }
}

private struct Softplus: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector {
        // max(x, 0) + log1p(e^-|x|) never overflows.
        let stable = x.replacing(with: 0, where: x .< 0) + VectorMath.log1p(VectorMath.exp(-VectorMath.abs(x)))
        return stable.replacing(with: x, where: x .> 20)
    }

    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        (g * VectorMath.sigmoid(x)).replacing(with: g, where: x .> 20)
    }
}

private struct Relu: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { x.replacing(with: 0, where: x .< 0) }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        g.replacing(with: 0, where: .!(x .> 0))
    }
}

private struct Sin: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.sinCos(x).sin }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector { g * VectorMath.sinCos(x).cos }
}

private struct Cos: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.sinCos(x).cos }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector { -g * VectorMath.sinCos(x).sin }
}

private struct Abs: UnaryKernel {
    static var saved: Saved { .input }
    @_transparent func forward(_ x: FloatVector) -> FloatVector { VectorMath.abs(x) }
    @_transparent func backward(_ x: FloatVector, _ g: FloatVector) -> FloatVector {
        g * VectorMath.withSign(of: x, FloatVector(repeating: 1)).replacing(with: 0, where: x .== 0)
    }
}

extension Tensor {
    /// e^x.
    public func exp() -> Tensor { unary(self, Exp()) }
    /// Natural logarithm (-inf at 0, NaN below).
    public func log() -> Tensor { unary(self, Log()) }
    /// Square root.
    public func sqrt() -> Tensor { unary(self, Sqrt()) }
    /// 1 / sqrt(x), to full precision (not the hardware estimate).
    public func rsqrt() -> Tensor { unary(self, Rsqrt()) }
    /// x^p elementwise (libm semantics for negative x and non-integer p; gradient 0 for p = 0).
    public func pow(_ p: Float) -> Tensor { unary(self, Pow(p: p)) }
    /// Hyperbolic tangent.
    public func tanh() -> Tensor { unary(self, Tanh()) }
    /// Logistic function 1 / (1 + e^-x).
    public func sigmoid() -> Tensor { unary(self, Sigmoid()) }
    /// x * sigmoid(x) (swish).
    public func silu() -> Tensor { unary(self, Silu()) }
    /// Exact GELU: x * Phi(x).
    public func gelu() -> Tensor { unary(self, Gelu()) }
    /// tanh approximation of GELU (PyTorch approximate="tanh").
    public func geluTanh() -> Tensor { unary(self, GeluTanh()) }
    /// log(1 + e^x), with PyTorch's threshold (x > 20 -> x).
    public func softplus() -> Tensor { unary(self, Softplus()) }
    /// max(x, 0); the gradient at 0 is 0.
    public func relu() -> Tensor { unary(self, Relu()) }
    /// Sine.
    public func sin() -> Tensor { unary(self, Sin()) }
    /// Cosine.
    public func cos() -> Tensor { unary(self, Cos()) }
    /// |x|; the gradient is sign(x), 0 at 0.
    public func abs() -> Tensor { unary(self, Abs()) }
}
