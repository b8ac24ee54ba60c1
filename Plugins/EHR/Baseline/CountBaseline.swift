import SequoiaKit

/// The count-based baseline every EHR report stands beside: L2 logistic regression on `CodeCountFeatures`,
/// its strength chosen by stratified cross-validation of held-out log-loss on the fitted rows (SequoiaKit's
/// `crossValidated`) over `l2Grid`.
/// The feature matrix is dense: rows x (codes + 4) Floats, so 20k predictions over the default 10k-code
/// cap take 800 MB; `maxMatrixFloats` refuses more than that.
public struct CountBaseline: Sendable {
    public let features: CodeCountFeatures
    public let model: LogisticRegression
    /// Rows and positives it was fitted on.
    public let trainRows: Int
    public let trainPositives: Int

    /// L2 strengths tried. The features are standardised and number in the hundreds to thousands of sparse
    /// columns, where strengths below 10 barely penalise, overfit and converge slowly (on Eunomia 0.01 runs
    /// out its 1,000 L-BFGS iterations). Strengths are ranked by log-loss: accuracy on a rare outcome rewards
    /// the penalty that predicts the majority class.
    public static let l2Grid: [Double] = [10, 100, 1000, 10_000]

    /// The largest feature matrix (rows x columns) built.
    public static let maxMatrixFloats = 200_000_000

    /// Fits on the histories (events a prediction may see) with their prediction times and outcomes;
    /// throws unless both outcomes occur. `seed` fixes the cross-validation folds.
    public static func fit(histories: [ArraySlice<MEDSEvent>], predictionTimes: [Int64], outcomes: [Bool],
                           maxCodes: Int = 10_000, seed: UInt64) throws -> CountBaseline {
        precondition(histories.count == outcomes.count, "one outcome per history")
        let positives = outcomes.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard positives > 0, positives < outcomes.count else {
            throw CommandError("baseline: the \(outcomes.count) training label(s) hold \(positives) positive(s); fitting needs both outcomes")
        }
        let features = CodeCountFeatures(fitting: histories, maxCodes: maxCodes)
        let x = try matrix(features, histories, predictionTimes)
        let labels = outcomes.map { $0 ? 1 : 0 }
        let folds = min(5, max(2, min(positives, outcomes.count - positives)))
        let (model, _) = LogisticRegression.crossValidated(features: x, rows: histories.count, columns: features.columnCount,
                                                           labels: labels, classCount: 2, grid: l2Grid, folds: folds, seed: seed,
                                                           criterion: .logLoss)
        return CountBaseline(features: features, model: model, trainRows: outcomes.count, trainPositives: positives)
    }

    /// The codes whose counts move the predicted risk most: each code's weight per standard deviation of its
    /// log count (positive raises the risk), largest magnitude first.
    public func strongestCodes(_ n: Int) -> [(code: String, weight: Double)] {
        let columns = model.featureCount, weights = model.standardizedWeights
        let codes = features.vocabulary.enumerated().map { (code: $0.element, weight: weights[columns + $0.offset] - weights[$0.offset]) }
        return Array(codes.sorted { abs($0.weight) > abs($1.weight) || (abs($0.weight) == abs($1.weight) && $0.code < $1.code) }.prefix(n))
    }

    /// The probability of the positive outcome for each history.
    public func probabilities(histories: [ArraySlice<MEDSEvent>], predictionTimes: [Int64]) throws -> [Double] {
        guard !histories.isEmpty else { return [] }
        let x = try Self.matrix(features, histories, predictionTimes)
        let p = model.predictProbabilities(features: x, rows: histories.count)
        return (0..<histories.count).map { p[$0 * 2 + 1] }
    }

    private static func matrix(_ features: CodeCountFeatures, _ histories: [ArraySlice<MEDSEvent>],
                               _ times: [Int64]) throws -> [Float] {
        guard histories.count * features.columnCount <= maxMatrixFloats else {
            throw CommandError("baseline: \(histories.count) predictions x \(features.columnCount) features exceed the dense "
                + "matrix limit of \(maxMatrixFloats) values; evaluate fewer rows or fewer codes")
        }
        return features.matrix(histories, predictionTimes: times)
    }
}
