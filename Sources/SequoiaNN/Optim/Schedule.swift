import Foundation

/// Learning rate as a pure function of the optimizer step (0-based).
///
/// Warmup rises linearly to the peak, reaching it on step `warmupSteps - 1` (so step 0 already
/// trains, at peak / warmupSteps). Decay then runs from the peak at step `warmupSteps` to
/// `peak * minRatio` at step `totalSteps`, and stays there.
public enum LearningRateSchedule: Equatable, Sendable {
    case constant(Float)
    case warmupCosine(peak: Float, warmupSteps: Int, totalSteps: Int, minRatio: Float = 0.1)
    case warmupLinear(peak: Float, warmupSteps: Int, totalSteps: Int, minRatio: Float = 0)

    public func learningRate(at step: Int) -> Float {
        switch self {
        case .constant(let lr):
            return lr
        case let .warmupCosine(peak, warmup, total, minRatio):
            return Self.warmupDecay(step, peak, warmup, total, minRatio) { 0.5 * (1 + Foundation.cos(Double.pi * $0)) }
        case let .warmupLinear(peak, warmup, total, minRatio):
            return Self.warmupDecay(step, peak, warmup, total, minRatio) { 1 - $0 }
        }
    }

    /// `shape` maps decay progress in [0, 1] to a fraction in [0, 1] of the way from the floor to the peak.
    private static func warmupDecay(_ step: Int, _ peak: Float, _ warmup: Int, _ total: Int, _ minRatio: Float,
                                    _ shape: (Double) -> Double) -> Float {
        let peak = Double(peak)
        if step < warmup { return Float(peak * Double(step + 1) / Double(warmup)) }
        let span = total - warmup
        let progress = span <= 0 ? 1 : min(1, Double(step - warmup) / Double(span))
        let floor = peak * Double(minRatio)
        return Float(floor + (peak - floor) * shape(progress))
    }
}
