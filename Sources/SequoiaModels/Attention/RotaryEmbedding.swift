import Foundation
import SequoiaTensor

/// Rotary position tables for `applyRotary`: inv_freq_i = theta^(-2i/hd), i < hd/2, changed by a
/// `RopeScaling`, and angle(t, i) = t * inv_freq_i.
///
/// The arithmetic follows transformers' float32 order (inv_freq in float32, the angle as one
/// float32 product, cos/sin of that float32 angle, then the attention factor): at a thousand
/// positions the angles reach hundreds of radians, and computing them in float64 instead moves the
/// outputs by about 1e-5 relative, the size of the parity tolerance.
public struct RotaryEmbedding: Equatable, Sendable {
    public let headDim: Int
    public let theta: Double
    public let scaling: RopeScaling

    public init(headDim: Int, theta: Double, scaling: RopeScaling = .none) {
        precondition(headDim > 0 && headDim % 2 == 0, "rotary: head dimension \(headDim) must be even")
        self.headDim = headDim
        self.theta = theta
        self.scaling = scaling
    }

    /// Multiplier of cos and sin (YaRN's attention temperature; 1 otherwise).
    public var attentionFactor: Float {
        if case .yarn(let factor, _, _, _, let given) = scaling { return Float(given ?? 0.1 * Foundation.log(factor) + 1) }
        return 1
    }

    /// inv_freq [hd/2] for a sequence of `length` positions (only dynamic NTK depends on the length).
    public func inverseFrequencies(length: Int) -> [Float] {
        let dim = Double(headDim)
        switch scaling {
        case .none:
            return Self.plain(base: theta, headDim: headDim)
        case .linear(let factor):
            return Self.plain(base: theta, headDim: headDim).map { $0 / Float(factor) }
        case .dynamic(let factor, let maxPositions):
            guard length > maxPositions else { return Self.plain(base: theta, headDim: headDim) }
            let grown = factor * Double(length) / Double(maxPositions) - (factor - 1)
            return Self.plain(base: theta * Foundation.pow(grown, dim / (dim - 2)), headDim: headDim)
        case .ntk(let factor):
            return Self.plain(base: theta * Foundation.pow(factor, dim / (dim - 2)), headDim: headDim)
        case .yarn(let factor, let maxPositions, let betaFast, let betaSlow, _):
            return yarn(factor: factor, maxPositions: maxPositions, betaFast: betaFast, betaSlow: betaSlow)
        case .llama3(let factor, let low, let high, let original):
            return llama3(factor: factor, lowFactor: low, highFactor: high, originalMaxPositions: original)
        case .visual(let window, let alpha, let beta):
            return visual(length: length, trainedLength: window, alpha: alpha, beta: beta)
        case .interpolation(let window):
            let s = Float(max(1, Double(length) / Double(window)))
            return Self.plain(base: theta, headDim: headDim).map { $0 / s }
        }
    }

    /// cos and sin tables [length, hd/2] for positions 0..<length, attention factor included.
    public func tables(length: Int) -> (cos: Tensor, sin: Tensor) {
        tables(positions: 0..<length, sequenceLength: length)
    }

    /// The rows of `positions` only (a step of a cached run), with the frequencies of a sequence
    /// `sequenceLength` long (only dynamic NTK depends on it).
    public func tables(positions: Range<Int>, sequenceLength: Int) -> (cos: Tensor, sin: Tensor) {
        let invFreq = inverseFrequencies(length: sequenceLength)
        let half = headDim / 2, factor = attentionFactor, first = positions.lowerBound
        let cosTable = Tensor(uninitialized: [positions.count, half]), sinTable = Tensor(uninitialized: [positions.count, half])
        let pc = cosTable.pointer, ps = sinTable.pointer
        invFreq.withUnsafeBufferPointer { inv in
            Parallel.forChunks(positions.count, grain: max(1, 4096 / half)) { rows in
                for row in rows {
                    let t = first + row
                    for i in 0..<half {
                        let angle = Double(Float(t) * inv[i])
                        pc[row * half + i] = Float(Foundation.cos(angle)) * factor
                        ps[row * half + i] = Float(Foundation.sin(angle)) * factor
                    }
                }
            }
        }
        return (cosTable, sinTable)
    }

    /// 1 / base^(2i/hd), each step rounded to float32 as torch does.
    static func plain(base: Double, headDim: Int) -> [Float] {
        powers(base: base, headDim: headDim).map { 1 / $0 }
    }

    /// base^(2i/hd) in float32 (the exponent is a float32 quotient, as in torch).
    private static func powers(base: Double, headDim: Int) -> [Float] {
        let b = Double(Float(base))
        return (0..<(headDim / 2)).map { i in Float(Foundation.pow(b, Double(Float(2 * i) / Float(headDim)))) }
    }

    private func yarn(factor: Double, maxPositions: Int, betaFast: Double, betaSlow: Double) -> [Float] {
        let dim = Double(headDim)
        // The dimension at which a frequency turns `rotations` times over maxPositions.
        func correctionDim(_ rotations: Double) -> Double {
            dim * Foundation.log(Double(maxPositions) / (rotations * 2 * Double.pi)) / (2 * Foundation.log(theta))
        }
        let low = max(Foundation.floor(correctionDim(betaFast)), 0)
        var high = min(Foundation.ceil(correctionDim(betaSlow)), dim - 1)
        if low == high { high += 0.001 }
        let span = Float(high - low), lowF = Float(low), f = Float(factor)
        return Self.powers(base: theta, headDim: headDim).enumerated().map { i, p in
            let extrapolated = 1 / p, interpolated = 1 / (f * p)
            let ramp = min(max((Float(i) - lowF) / span, 0), 1)
            let keep = 1 - ramp
            return interpolated * (1 - keep) + extrapolated * keep
        }
    }

    private func visual(length: Int, trainedLength: Int, alpha: Double, beta: Double) -> [Float] {
        let plain = Self.plain(base: theta, headDim: headDim)
        let s = Double(length) / Double(trainedLength)
        guard s > 1 else { return plain }
        return plain.map { inv in
            let r = Double(trainedLength) * Double(inv) / (2 * Double.pi)
            let gamma = min(max((r - alpha) / (beta - alpha), 0), 1)
            return Float(gamma * Double(inv) + (1 - gamma) * Double(inv) / s)
        }
    }

    private func llama3(factor: Double, lowFactor: Double, highFactor: Double, originalMaxPositions: Int) -> [Float] {
        let old = Float(originalMaxPositions), f = Float(factor)
        let lowWavelength = Float(Double(originalMaxPositions) / lowFactor)
        let highWavelength = Float(Double(originalMaxPositions) / highFactor)
        let lowF = Float(lowFactor), spread = Float(highFactor - lowFactor)
        return Self.plain(base: theta, headDim: headDim).map { inv in
            let wavelength = Float(2 * Double.pi) / inv
            if wavelength < highWavelength { return inv }
            if wavelength > lowWavelength { return inv / f }
            let smooth = (old / wavelength - lowF) / spread
            return (1 - smooth) * inv / f + smooth * inv
        }
    }
}
