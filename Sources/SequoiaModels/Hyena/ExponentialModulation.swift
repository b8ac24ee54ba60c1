import Foundation
import SequoiaNN
import SequoiaTensor

/// Makes the implicit filter decay over time: k = h * (exp(-t |delta|) + 0.05), with one
/// rate per channel, deltas = linspace(ln(0.01) / 1.5, ln(0.01) / 0.3, d) as [1, 1, d].
public final class ExponentialModulation: Module {
    @Buffer public var deltas: Tensor
    /// Floor added to the decay so late taps keep a little weight.
    public let shift: Float

    /// The reference's defaults: target 1e-2 reached at 30% (fast) to 150% (slow) of the length.
    public init(channels: Int, fastDecayFraction: Double = 0.3, slowDecayFraction: Double = 1.5,
                target: Double = 1e-2, shift: Float = 0.05) {
        let maxDecay = Float(Foundation.log(target) / fastDecayFraction)
        let minDecay = Float(Foundation.log(target) / slowDecayFraction)
        deltas = Tensor(shape: [1, 1, channels], scalars: torchLinspace(minDecay, maxDecay, count: channels))
        self.shift = shift
    }

    /// h [L, d] modulated at times t [L, 1].
    public func callAsFunction(_ t: Tensor, _ h: Tensor) -> Tensor {
        let channels = deltas.shape[2]
        let decay = (-(t * deltas.reshaped([1, channels]).abs())).exp()
        return h * (decay + shift)
    }
}
