import SequoiaNN
import SequoiaTensor

/// SwiGLU feed-forward: down(silu(gate x) * up x) (HF Llama's `mlp`).
public final class GatedMLP: Module {
    public var gateProj: Linear
    public var upProj: Linear
    public var downProj: Linear

    public override class var checkpointKeys: [String: String] {
        ["gateProj": "gate_proj", "upProj": "up_proj", "downProj": "down_proj"]
    }

    public init(hidden: Int, intermediate: Int, bias: Bool, rng: inout RandomGenerator) {
        gateProj = Linear(hidden, intermediate, bias: bias, rng: &rng)
        upProj = Linear(hidden, intermediate, bias: bias, rng: &rng)
        downProj = Linear(intermediate, hidden, bias: bias, rng: &rng)
    }

    /// x [..., hidden] -> [..., hidden].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        downProj(gateProj(x).silu() * upProj(x))
    }
}
