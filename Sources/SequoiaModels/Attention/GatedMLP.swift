import SequoiaNN
import SequoiaTensor

/// SwiGLU feed-forward: down(silu(gate x) * up x) (HF Llama's `mlp`).
public final class GatedMLP: Module {
    @CheckpointKey("gate_proj") public private(set) var gateProj: Linear
    @CheckpointKey("up_proj") public private(set) var upProj: Linear
    @CheckpointKey("down_proj") public private(set) var downProj: Linear

    public init(hidden: Int, intermediate: Int, bias: Bool, rng: inout RandomGenerator) {
        let gate = Linear(hidden, intermediate, bias: bias, rng: &rng)
        let up = Linear(hidden, intermediate, bias: bias, rng: &rng)
        let down = Linear(intermediate, hidden, bias: bias, rng: &rng)
        super.init()
        (gateProj, upProj, downProj) = (gate, up, down)
    }

    /// x [..., hidden] -> [..., hidden].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        downProj(gateProj(x).silu() * upProj(x))
    }
}
