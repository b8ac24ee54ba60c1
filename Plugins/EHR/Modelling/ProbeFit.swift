import SequoiaKit

extension TaskHead {
    /// EHRSHOT's linear probe: L2 logistic regression on frozen representations, its strength chosen
    /// by stratified cross-validation of held-out log-loss over `LogisticRegression.defaultL2Grid`, refitted on all rows.
    /// The softmax form's two weight rows fold into one logit: w = w₁ − w₀, b = b₁ − b₀.
    public static func fitProbe(features: [Float], width: Int, outcomes: [Int], folds: Int = 5, seed: UInt64 = 0) -> TaskHead {
        let rows = outcomes.count
        let (model, _) = LogisticRegression.crossValidated(features: features, rows: rows, columns: width, labels: outcomes,
                                                           classCount: 2, folds: folds, seed: seed, criterion: .logLoss)
        let coefficients = model.coefficients, intercepts = model.originalIntercepts
        let weights = (0..<width).map { coefficients[width + $0] - coefficients[$0] }
        return TaskHead(kind: .probe, weights: weights, bias: intercepts[1] - intercepts[0], l2: model.l2)
    }
}
