import Foundation

/// Elementwise functions and their gradients. Each op is a forward kernel and a fused
/// single-pass backward kernel over raw chunks, run by one shared driver.

/// The tensor an op's backward reads, whichever gives the cheaper derivative; only that one
/// is kept alive by the graph.
private enum Saved { case input, output }

/// (x, y, n): y[i] = f(x[i]).
private typealias ForwardKernel = (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
/// (saved, gradOut, gradIn, n): gradIn[i] from saved[i] and gradOut[i].
private typealias BackwardKernel = (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void

/// Memory-bound kernels split at 32K elements; libm-per-element ones (sin, erf, pow) are
/// compute-bound and worth splitting much earlier.
private let vectorGrain = 1 << 15
private let scalarGrain = 1 << 11

private func unary(_ x: Tensor, saving saved: Saved, grain: Int = vectorGrain,
                   _ forward: ForwardKernel, _ backward: @escaping BackwardKernel) -> Tensor {
    let out = Tensor(uninitialized: x.shape)
    let px = x.pointer, po = out.pointer
    Parallel.forChunks(x.count, grain: grain) { r in forward(px + r.lowerBound, po + r.lowerBound, r.count) }
    // Keep the storage, not the output tensor: the output owns this closure, and a cycle
    // would leak both whenever backward never runs.
    let kept = saved == .input ? x.storage : out.storage
    return out.recordingGrad([x]) { g in
        let dx = Tensor(uninitialized: g.shape)
        let ps = kept.pointer, pg = g.pointer, pd = dx.pointer
        Parallel.forChunks(g.count, grain: grain) { r in
            backward(ps + r.lowerBound, pg + r.lowerBound, pd + r.lowerBound, r.count)
        }
        return [dx]
    }
}

/// A forward or backward kernel from a scalar function (libm calls that have no SIMD form here).
@inline(__always)
private func scalarMap(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ f: (Float) -> Float) {
    for i in 0..<n { y[i] = f(x[i]) }
}

@inline(__always)
private func scalarMap(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                       _ n: Int, _ f: (Float, Float) -> Float) {
    for i in 0..<n { out[i] = f(a[i], b[i]) }
}

/// sqrt(2 / pi) and the cubic coefficient of the tanh GELU.
private let geluTanhScale: Float = 0.797_884_560_802_865_4
private let geluTanhCubic: Float = 0.044_715

extension Tensor {
    /// e^x.
    public func exp() -> Tensor {
        unary(self, saving: .output,
              { x, y, n in VectorMath.map(x, y, n) { VectorMath.exp($0) } },
              { y, g, d, n in VectorMath.map(y, g, d, n) { y, g in g * y } })
    }

    /// Natural logarithm (-inf at 0, NaN below).
    public func log() -> Tensor {
        unary(self, saving: .input,
              { x, y, n in VectorMath.map(x, y, n) { VectorMath.log($0) } },
              { x, g, d, n in VectorMath.map(x, g, d, n) { x, g in g / x } })
    }

    /// Square root.
    public func sqrt() -> Tensor {
        unary(self, saving: .output,
              { x, y, n in VectorMath.map(x, y, n) { VectorMath.sqrt($0) } },
              { y, g, d, n in VectorMath.map(y, g, d, n) { y, g in 0.5 * g / y } })
    }

    /// 1 / sqrt(x), to full precision (not the hardware estimate).
    public func rsqrt() -> Tensor {
        unary(self, saving: .output,
              { x, y, n in VectorMath.map(x, y, n) { 1 / VectorMath.sqrt($0) } },
              { y, g, d, n in VectorMath.map(y, g, d, n) { y, g in -0.5 * g * y * y * y } })
    }

    /// x^p elementwise (libm semantics for negative x and non-integer p).
    public func pow(_ p: Float) -> Tensor {
        // The common exponents avoid powf, which is ~20x the cost of a multiply.
        let forward: ForwardKernel
        switch p {
        case 2: forward = { x, y, n in VectorMath.map(x, y, n) { $0 * $0 } }
        case 1: forward = { x, y, n in y.update(from: x, count: n) }
        case 0.5: forward = { x, y, n in VectorMath.map(x, y, n) { VectorMath.sqrt($0) } }
        case -1: forward = { x, y, n in VectorMath.map(x, y, n) { 1 / $0 } }
        default: forward = { x, y, n in scalarMap(x, y, n) { Foundation.pow($0, p) } }
        }
        let backward: BackwardKernel
        switch p {
        case 0: backward = { _, _, d, n in d.update(repeating: 0, count: n) }
        case 1: backward = { _, g, d, n in d.update(from: g, count: n) }
        case 2: backward = { x, g, d, n in VectorMath.map(x, g, d, n) { x, g in 2 * x * g } }
        default: backward = { x, g, d, n in scalarMap(x, g, d, n) { x, g in p * Foundation.pow(x, p - 1) * g } }
        }
        let cheap = p == 0 || p == 1 || p == 2 || p == 0.5 || p == -1
        return unary(self, saving: .input, grain: cheap ? vectorGrain : scalarGrain, forward, backward)
    }

    /// Hyperbolic tangent.
    public func tanh() -> Tensor {
        unary(self, saving: .output,
              { x, y, n in VectorMath.map(x, y, n) { VectorMath.tanh($0) } },
              { y, g, d, n in VectorMath.map(y, g, d, n) { y, g in g * (1 - y * y) } })
    }

    /// Logistic function 1 / (1 + e^-x).
    public func sigmoid() -> Tensor {
        unary(self, saving: .output,
              { x, y, n in VectorMath.map(x, y, n) { VectorMath.sigmoid($0) } },
              { y, g, d, n in VectorMath.map(y, g, d, n) { y, g in g * y * (1 - y) } })
    }

    /// x * sigmoid(x) (swish).
    public func silu() -> Tensor {
        unary(self, saving: .input,
              { x, y, n in VectorMath.map(x, y, n) { $0 * VectorMath.sigmoid($0) } },
              { x, g, d, n in
                  VectorMath.map(x, g, d, n) { x, g in
                      let s = VectorMath.sigmoid(x)
                      return g * s * (1 + x * (1 - s))
                  }
              })
    }

    /// Exact GELU: x * Phi(x).
    public func gelu() -> Tensor {
        unary(self, saving: .input,
              { x, y, n in VectorMath.map(x, y, n) { x in x * VectorMath.normal(x).cdf } },
              { x, g, d, n in
                  VectorMath.map(x, g, d, n) { x, g in
                      let (cdf, pdf) = VectorMath.normal(x)
                      return g * cdf.addingProduct(x, pdf)
                  }
              })
    }

    /// tanh approximation of GELU (PyTorch approximate="tanh").
    public func geluTanh() -> Tensor {
        // 0.5 (1 + tanh(u)) = sigmoid(2u): same function, without the cancellation of 1 + tanh
        // in the negative tail.
        unary(self, saving: .input,
              { x, y, n in
                  VectorMath.map(x, y, n) { x in
                      let u = geluTanhScale * x.addingProduct(geluTanhCubic * x, x * x)
                      return x * VectorMath.sigmoid(2 * u)
                  }
              },
              { x, g, d, n in
                  VectorMath.map(x, g, d, n) { x, g in
                      let x2 = x * x
                      let s = VectorMath.sigmoid(2 * geluTanhScale * x.addingProduct(geluTanhCubic * x, x2))
                      let du = 2 * geluTanhScale * (3 * geluTanhCubic * x2 + 1)
                      return g * s * (x * (1 - s) * du + 1)
                  }
              })
    }

    /// log(1 + e^x), with PyTorch's threshold (x > 20 -> x).
    public func softplus() -> Tensor {
        unary(self, saving: .input,
              { x, y, n in
                  VectorMath.map(x, y, n) { x in
                      // max(x, 0) + log1p(e^-|x|) never overflows.
                      let stable = x.replacing(with: 0, where: x .< 0) + VectorMath.log1p(VectorMath.exp(-VectorMath.abs(x)))
                      return stable.replacing(with: x, where: x .> 20)
                  }
              },
              { x, g, d, n in
                  VectorMath.map(x, g, d, n) { x, g in (g * VectorMath.sigmoid(x)).replacing(with: g, where: x .> 20) }
              })
    }

    /// max(x, 0); the gradient at 0 is 0.
    public func relu() -> Tensor {
        unary(self, saving: .input,
              { x, y, n in VectorMath.map(x, y, n) { $0.replacing(with: 0, where: $0 .< 0) } },
              { x, g, d, n in VectorMath.map(x, g, d, n) { x, g in g.replacing(with: 0, where: .!(x .> 0)) } })
    }

    /// Sine.
    public func sin() -> Tensor {
        unary(self, saving: .input, grain: scalarGrain,
              { x, y, n in scalarMap(x, y, n) { Foundation.sin($0) } },
              { x, g, d, n in scalarMap(x, g, d, n) { x, g in g * Foundation.cos(x) } })
    }

    /// Cosine.
    public func cos() -> Tensor {
        unary(self, saving: .input, grain: scalarGrain,
              { x, y, n in scalarMap(x, y, n) { Foundation.cos($0) } },
              { x, g, d, n in scalarMap(x, g, d, n) { x, g in -g * Foundation.sin(x) } })
    }

    /// |x|; the gradient is sign(x), 0 at 0.
    public func abs() -> Tensor {
        unary(self, saving: .input,
              { x, y, n in VectorMath.map(x, y, n) { VectorMath.abs($0) } },
              { x, g, d, n in
                  VectorMath.map(x, g, d, n) { x, g in
                      g * VectorMath.withSign(of: x, FloatVector(repeating: 1)).replacing(with: 0, where: x .== 0)
                  }
              })
    }
}
