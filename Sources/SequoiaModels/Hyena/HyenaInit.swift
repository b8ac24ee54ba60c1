import SequoiaNN
import SequoiaTensor

/// Linear with weight N(0, std) and zero bias (the HyenaDNA / HF-port `_init_weights`).
func hyenaLinear(_ inFeatures: Int, _ outFeatures: Int, bias: Bool, std: Float, rng: inout RandomGenerator) -> Linear {
    let linear = Linear(inFeatures, outFeatures, bias: bias, rng: &rng)
    linear.weight = Tensor.randn([outFeatures, inFeatures], std: std, rng: &rng, requiresGrad: true)
    linear.bias?.fill(0)
    return linear
}
