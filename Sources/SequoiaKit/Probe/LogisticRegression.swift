import CBLAS
import Foundation

/// Multinomial (softmax) logistic regression with an L2 penalty, for linear probes on embeddings.
///
/// Minimises `Σ_i −log softmax(W x̂_i + b)[y_i] + ½·l2·‖W‖²` (the intercept is not penalised) on
/// standardised features x̂ = (x − mean) / std, by full-batch L-BFGS in Float64; deterministic.
/// This is scikit-learn's `LogisticRegression(C: 1/l2)` objective for three or more classes; two classes
/// also use the symmetric softmax form (two weight rows), whose penalty is half sklearn's binary one.
public struct LogisticRegression: Sendable {
    /// L2 strength on the standardised-feature weights.
    public var l2: Double
    /// Most L-BFGS iterations.
    public var maxIterations: Int
    /// Stops when the gradient's max-norm falls below `tolerance` × max(1, rows).
    public var tolerance: Double

    public private(set) var classCount = 0
    public private(set) var featureCount = 0
    /// Per-feature mean and standard deviation used to standardise (std 1 where a feature is constant).
    public private(set) var featureMean: [Double] = []
    public private(set) var featureScale: [Double] = []
    /// Row-major [classCount, featureCount] weights on standardised features.
    public private(set) var standardizedWeights: [Double] = []
    /// Per-class intercepts on standardised features.
    public private(set) var intercepts: [Double] = []
    /// L-BFGS iterations the last fit took.
    public private(set) var iterations = 0

    public init(l2: Double = 1, maxIterations: Int = 1000, tolerance: Double = 1e-7) {
        self.l2 = l2
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Weights in the original feature units, row-major [classCount, featureCount]: w_kj / std_j.
    public var coefficients: [Double] {
        (0..<classCount * featureCount).map { standardizedWeights[$0] / featureScale[$0 % featureCount] }
    }

    /// Intercepts in the original feature units: b_k − Σ_j w_kj·mean_j / std_j.
    public var originalIntercepts: [Double] {
        (0..<classCount).map { (k: Int) -> Double in
            var shift = 0.0
            for j in 0..<featureCount { shift += standardizedWeights[k * featureCount + j] * featureMean[j] / featureScale[j] }
            return intercepts[k] - shift
        }
    }

    /// Fits on row-major `features` [rows, columns] with labels in 0..<classCount
    /// (default: 1 + the largest label).
    public mutating func fit(features: [Float], rows: Int, columns: Int, labels: [Int], classCount: Int? = nil) {
        precondition(rows > 0 && columns > 0 && features.count == rows * columns, "features must be [rows, columns]")
        precondition(labels.count == rows, "one label per row")
        let k = max(classCount ?? ((labels.max() ?? 0) + 1), 2)
        precondition(labels.allSatisfy { (0..<k).contains($0) }, "labels must lie in 0..<\(k)")
        self.classCount = k
        featureCount = columns
        (featureMean, featureScale) = Self.moments(features, rows: rows, columns: columns)
        let x = standardize(features, rows: rows)
        let objective = SoftmaxObjective(x: x, rows: rows, columns: columns, labels: labels, classCount: k, l2: l2)
        var solver = LBFGS(dimension: k * columns + k)
        let solution = solver.minimize(start: [Double](repeating: 0, count: k * columns + k),
                                       maxIterations: maxIterations,
                                       gradientTolerance: tolerance * Double(max(1, rows)),
                                       objective.valueAndGradient)
        standardizedWeights = Array(solution[0..<k * columns])
        intercepts = Array(solution[(k * columns)...])
        iterations = solver.iterations
    }

    /// Class probabilities, row-major [rows, classCount].
    public func predictProbabilities(features: [Float], rows: Int) -> [Double] {
        precondition(classCount > 0, "fit before predicting")
        precondition(features.count == rows * featureCount, "features must be [rows, \(featureCount)]")
        let x = standardize(features, rows: rows)
        var z = SoftmaxObjective.logits(x, rows: rows, columns: featureCount, weights: standardizedWeights,
                                        intercepts: intercepts, classCount: classCount)
        SoftmaxObjective.softmaxRows(&z, rows: rows, classCount: classCount)
        return z
    }

    /// The most probable class of each row (the lowest index on ties).
    public func predict(features: [Float], rows: Int) -> [Int] {
        let p = predictProbabilities(features: features, rows: rows)
        return (0..<rows).map { r in
            var best = 0
            for c in 1..<classCount where p[r * classCount + c] > p[r * classCount + best] { best = c }
            return best
        }
    }

    private static func moments(_ f: [Float], rows: Int, columns: Int) -> ([Double], [Double]) {
        var mean = [Double](repeating: 0, count: columns), sq = [Double](repeating: 0, count: columns)
        for r in 0..<rows { for j in 0..<columns { mean[j] += Double(f[r * columns + j]) } }
        for j in 0..<columns { mean[j] /= Double(rows) }
        for r in 0..<rows { for j in 0..<columns { let d = Double(f[r * columns + j]) - mean[j]; sq[j] += d * d } }
        // Population std, as sklearn's StandardScaler; a constant feature keeps scale 1 so it stays 0.
        let scale = sq.map { s -> Double in let v = (s / Double(rows)).squareRoot(); return v > 1e-12 ? v : 1 }
        return (mean, scale)
    }

    private func standardize(_ f: [Float], rows: Int) -> [Double] {
        var x = [Double](repeating: 0, count: rows * featureCount)
        for r in 0..<rows {
            for j in 0..<featureCount {
                x[r * featureCount + j] = (Double(f[r * featureCount + j]) - featureMean[j]) / featureScale[j]
            }
        }
        return x
    }
}

/// The penalised softmax cross-entropy summed over rows, and its gradient, for parameters laid out
/// as [W (classCount × columns) row-major, b (classCount)].
struct SoftmaxObjective {
    let x: [Double]
    let rows: Int, columns: Int
    let labels: [Int]
    let classCount: Int
    let l2: Double

    static func logits(_ x: [Double], rows: Int, columns: Int, weights: [Double], intercepts: [Double], classCount k: Int) -> [Double] {
        var z = [Double](repeating: 0, count: rows * k)
        for r in 0..<rows { for c in 0..<k { z[r * k + c] = intercepts[c] } }
        // z += X · Wᵀ
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(k), Int32(columns),
                    1, x, Int32(columns), weights, Int32(columns), 1, &z, Int32(k))
        return z
    }

    static func softmaxRows(_ z: inout [Double], rows: Int, classCount k: Int) {
        for r in 0..<rows {
            var m = -Double.infinity
            for c in 0..<k { m = max(m, z[r * k + c]) }
            var s = 0.0
            for c in 0..<k { let e = Foundation.exp(z[r * k + c] - m); z[r * k + c] = e; s += e }
            for c in 0..<k { z[r * k + c] /= s }
        }
    }

    func valueAndGradient(_ theta: [Double]) -> (Double, [Double]) {
        let k = classCount, d = columns
        let w = Array(theta[0..<k * d]), b = Array(theta[(k * d)...])
        var z = Self.logits(x, rows: rows, columns: d, weights: w, intercepts: b, classCount: k)
        var loss = 0.0
        for r in 0..<rows {
            var m = -Double.infinity
            for c in 0..<k { m = max(m, z[r * k + c]) }
            var s = 0.0
            for c in 0..<k { s += Foundation.exp(z[r * k + c] - m) }
            let lse = m + Foundation.log(s)
            loss += lse - z[r * k + labels[r]]
            // z becomes P − Y, the logits' gradient.
            for c in 0..<k { z[r * k + c] = Foundation.exp(z[r * k + c] - lse) }
            z[r * k + labels[r]] -= 1
        }
        var grad = [Double](repeating: 0, count: k * d + k)
        for j in 0..<k * d { grad[j] = l2 * w[j]; loss += 0.5 * l2 * w[j] * w[j] }
        // ∇W = (P − Y)ᵀ · X + l2·W
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(k), Int32(d), Int32(rows),
                    1, z, Int32(k), x, Int32(d), 1, &grad, Int32(d))
        for r in 0..<rows { for c in 0..<k { grad[k * d + c] += z[r * k + c] } }
        return (loss, grad)
    }
}
