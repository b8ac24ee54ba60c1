// STUB: owned by helper H1; replace every body.
extension Tensor {
    public func exp() -> Tensor { fatalError("unimplemented") }
    public func log() -> Tensor { fatalError("unimplemented") }
    public func sqrt() -> Tensor { fatalError("unimplemented") }
    public func rsqrt() -> Tensor { fatalError("unimplemented") }
    public func pow(_ p: Float) -> Tensor { fatalError("unimplemented") }
    public func tanh() -> Tensor { fatalError("unimplemented") }
    public func sigmoid() -> Tensor { fatalError("unimplemented") }
    public func silu() -> Tensor { fatalError("unimplemented") }
    /// Exact GELU: x * Phi(x).
    public func gelu() -> Tensor { fatalError("unimplemented") }
    /// tanh approximation of GELU (PyTorch approximate="tanh").
    public func geluTanh() -> Tensor { fatalError("unimplemented") }
    /// log(1 + e^x), with PyTorch's threshold (x > 20 -> x).
    public func softplus() -> Tensor { fatalError("unimplemented") }
    public func relu() -> Tensor { fatalError("unimplemented") }
    public func sin() -> Tensor { fatalError("unimplemented") }
    public func cos() -> Tensor { fatalError("unimplemented") }
    public func abs() -> Tensor { fatalError("unimplemented") }
}
