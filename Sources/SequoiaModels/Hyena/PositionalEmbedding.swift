import Foundation
import SequoiaNN
import SequoiaTensor

/// The implicit filter's input features over l_max positions: z [1, l_max, emb_dim] holds
/// time t_n = n / (l_max - 1), then cos(f_j w_n) and -sin(f_j w_n) for the bands
/// f = linspace(1e-4, bands - 1, bands) at w_n = 2 pi n / l_max; t [1, l_max, 1].
public final class PositionalEmbedding: Module {
    @Buffer public var z: Tensor
    @Buffer public var t: Tensor

    public init(embDim: Int, maxLength: Int) {
        precondition(embDim >= 3 && embDim % 2 == 1, "emb_dim \(embDim) must be odd and at least 3")
        let bands = (embDim - 1) / 2
        let time = torchLinspace(0, 1, count: maxLength)
        let f = torchLinspace(1e-4, Float(bands - 1), count: bands)
        // The angle is rounded as the reference's float32 steps round it; cos/sin of that angle
        // are then exact to within float rounding.
        let twoPi = Float(2 * Double.pi)
        var zValues = [Float](repeating: 0, count: maxLength * embDim)
        for n in 0..<maxLength {
            let w = twoPi * Float(n) / Float(maxLength)
            zValues[n * embDim] = time[n]
            for j in 0..<bands {
                let angle = Double(f[j] * w)
                zValues[n * embDim + 1 + j] = Float(Foundation.cos(angle))
                zValues[n * embDim + 1 + bands + j] = Float(-Foundation.sin(angle))
            }
        }
        z = Tensor(shape: [1, maxLength, embDim], scalars: zValues)
        t = Tensor(shape: [1, maxLength, 1], scalars: time)
    }

    /// l_max, the longest filter this embedding can feed.
    public var maxLength: Int { z.shape[1] }

    /// The first `length` positions: z [length, emb_dim] and t [length, 1].
    public func callAsFunction(_ length: Int) -> (z: Tensor, t: Tensor) {
        precondition(length >= 1 && length <= maxLength, "filter length \(length) outside 1...\(maxLength) (max_seq_len)")
        let embDim = z.shape[2]
        return (z.sliced(axis: 1, 0..<length).reshaped([length, embDim]),
                t.sliced(axis: 1, 0..<length).reshaped([length, 1]))
    }
}
