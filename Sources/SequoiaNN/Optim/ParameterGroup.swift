import SequoiaTensor

/// Parameters sharing optimizer settings (PyTorch's param_groups).
public struct ParameterGroup {
    public var parameters: [Tensor]
    public var weightDecay: Float
    /// Multiplies the optimizer's learning rate for this group.
    public var learningRateScale: Float

    public init(parameters: [Tensor], weightDecay: Float = 0, learningRateScale: Float = 1) {
        self.parameters = parameters
        self.weightDecay = weightDecay
        self.learningRateScale = learningRateScale
    }

    /// The usual split for transformers and SSMs: [decayed, not decayed]. A parameter is not
    /// decayed when it has fewer than 2 dimensions (biases, norm scales, per-channel vectors)
    /// or its lower-cased name contains one of `noDecay` (add "embed" to spare embeddings).
    public static func decaySplit(_ named: [(String, Tensor)], weightDecay: Float,
                                  noDecay: [String] = ["norm", "bias"]) -> [ParameterGroup] {
        var decayed: [Tensor] = [], plain: [Tensor] = []
        for (name, p) in named {
            let lower = name.lowercased()
            if p.rank < 2 || noDecay.contains(where: { lower.contains($0) }) {
                plain.append(p)
            } else {
                decayed.append(p)
            }
        }
        return [ParameterGroup(parameters: decayed, weightDecay: weightDecay),
                ParameterGroup(parameters: plain, weightDecay: 0)]
    }
}
