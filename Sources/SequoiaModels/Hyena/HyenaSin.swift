import SequoiaNN
import SequoiaTensor

/// The implicit filter's activation sin(freq * x), freq [1, F]. The reference builds one of
/// these and reuses it after every hidden layer of the filter MLP, so all share one `freq`.
public final class HyenaSin: Module {
    /// The trained frequency; nil when the config fixes it (train_freq false: not stored either).
    public var freq: Tensor?
    /// The frequency used when `freq` is nil.
    public let fixedFrequency: Float

    public init(width: Int, frequency: Float, trainable: Bool) {
        freq = trainable ? Tensor.full([1, width], frequency, requiresGrad: true) : nil
        fixedFrequency = frequency
    }

    /// x [..., F] -> sin(freq * x).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if let freq { return (freq * x).sin() }
        return (x * fixedFrequency).sin()
    }
}
