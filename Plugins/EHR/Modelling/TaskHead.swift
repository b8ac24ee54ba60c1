import Foundation

/// A binary task head on timeline representations: P(outcome) = sigmoid(w · x + b), whether fitted
/// as a linear probe on frozen representations or trained with the backbone (full fine-tuning).
/// Stored as head.json beside the backbone it reads.
public struct TaskHead: Codable, Equatable, Sendable {
    /// How the head was fitted.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// L2 logistic regression on frozen representations (EHRSHOT's linear probe).
        case probe
        /// A linear head trained with the whole backbone.
        case full
    }

    /// How the head was fitted.
    public var kind: Kind
    /// w, one weight per representation dimension (original units, not standardised).
    public var weights: [Double]
    /// b, the intercept.
    public var bias: Double
    /// The probe's L2 strength on standardised features, chosen by cross-validation (probe only).
    public var l2: Double?

    /// A head with these weights and intercept.
    public init(kind: Kind, weights: [Double], bias: Double, l2: Double? = nil) {
        self.kind = kind
        self.weights = weights
        self.bias = bias
        self.l2 = l2
    }

    /// The positive-class probability of each row of row-major `features` [rows, weights.count].
    public func probabilities(_ features: [Float]) -> [Double] {
        let width = weights.count
        precondition(width > 0 && features.count % width == 0, "features are not rows of \(width)")
        return (0 ..< features.count / width).map { row in
            var z = bias
            for j in 0..<width { z += weights[j] * Double(features[row * width + j]) }
            return 1 / (1 + Foundation.exp(-z))
        }
    }
}
