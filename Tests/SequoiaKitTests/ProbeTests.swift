import Foundation
import SequoiaKit
import SequoiaTensor
import XCTest

final class ProbeTests: XCTestCase {
    func testSeparableDataIsFittedExactly() {
        var rng = RandomGenerator(seed: 7)
        let rows = 90, columns = 4
        var x = [Float](), y = [Int]()
        for i in 0..<rows {
            let c = i % 3
            for j in 0..<columns { x.append((j == c ? 6 : 0) + rng.nextNormal() * 0.5) }
            y.append(c)
        }
        var model = LogisticRegression(l2: 0.01)
        model.fit(features: x, rows: rows, columns: columns, labels: y)
        XCTAssertEqual(model.predict(features: x, rows: rows), y)
        let p = model.predictProbabilities(features: x, rows: rows)
        for r in 0..<rows { XCTAssertEqual((0..<3).reduce(0.0) { $0 + p[r * 3 + $1] }, 1, accuracy: 1e-9) }
    }

    func testRecoversKnownBinaryCoefficients() {
        var rng = RandomGenerator(seed: 11)
        let rows = 6000, beta = [1.5, -2.0], bias = 0.5
        var x = [Float](), y = [Int]()
        for _ in 0..<rows {
            let a = rng.nextNormal() * 1.5 + 1, b = rng.nextNormal() * 0.7 - 2
            x += [a, b]
            let p = 1 / (1 + exp(-(beta[0] * Double(a) + beta[1] * Double(b) + bias)))
            y.append(Double(rng.nextFloat()) < p ? 1 : 0)
        }
        var model = LogisticRegression(l2: 1e-6)
        model.fit(features: x, rows: rows, columns: 2, labels: y)
        // Two-class softmax: the log-odds weights are row 1 minus row 0.
        let w = model.coefficients, b = model.originalIntercepts
        XCTAssertEqual(w[2] - w[0], beta[0], accuracy: 0.15)
        XCTAssertEqual(w[3] - w[1], beta[1], accuracy: 0.2)
        XCTAssertEqual(b[1] - b[0], bias, accuracy: 0.4)
    }

    /// Values from scikit-learn 1.9.1: `StandardScaler().fit_transform(X)` (float64 of the float32 X below),
    /// then `LogisticRegression(C=1/2.0, tol=1e-12, max_iter=10000).fit(Xs, y)` (lbfgs, multinomial);
    /// `coef_`, `intercept_` and `predict_proba` of rows 0, 1, 2, 29.
    func testMatchesScikitLearn() {
        let rows = 30, columns = 3
        var x = [Float](), y = [Int]()
        for i in 0..<rows {
            y.append(i % 3)
            for j in 0..<columns {
                x.append(Float(sin(Double(i) * 0.37 + Double(j) * 1.1) * Double(j + 1) + (i % 3 == j ? 0.8 : 0)))
            }
        }
        var model = LogisticRegression(l2: 2, tolerance: 1e-10)
        model.fit(features: x, rows: rows, columns: columns, labels: y)
        let coef = [1.0553825109, -0.6234873723, 0.5215950276, -0.8962535106, 0.835427164, -0.7354449436,
                    -0.1591290003, -0.2119397916, 0.213849916]
        let intercept = [-0.0636184556, -0.0048983975, 0.0685168531]
        let proba = [0.5105486332, 0.1767566909, 0.3126946759, 0.1400045811, 0.6119371677, 0.2480582512,
                     0.3425118894, 0.3489724805, 0.3085156301, 0.1418204915, 0.2604083688, 0.5977711397]
        for (a, b) in zip(model.standardizedWeights, coef) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        for (a, b) in zip(model.intercepts, intercept) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        let picked = LogisticRegression.gather(x, [0, 1, 2, 29], columns)
        for (a, b) in zip(model.predictProbabilities(features: picked, rows: 4), proba) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testCrossValidationPicksAPenaltyAndIsDeterministic() {
        var rng = RandomGenerator(seed: 3)
        let rows = 60, columns = 5
        var x = [Float](), y = [Int]()
        for i in 0..<rows {
            let c = i % 2
            for j in 0..<columns { x.append((j == 0 ? Float(c) * 2 : 0) + rng.nextNormal()) }
            y.append(c)
        }
        let a = LogisticRegression.crossValidated(features: x, rows: rows, columns: columns, labels: y, folds: 3, seed: 5)
        let b = LogisticRegression.crossValidated(features: x, rows: rows, columns: columns, labels: y, folds: 3, seed: 5)
        XCTAssertEqual(a.cvAccuracy, b.cvAccuracy)
        XCTAssertEqual(a.model.l2, b.model.l2)
        XCTAssertEqual(a.cvAccuracy.count, LogisticRegression.defaultL2Grid.count)
        XCTAssertGreaterThan(a.cvAccuracy.max()!, 0.7)
    }

    func testLogLossSelectionPicksTheStrengthWithTheLowestHeldOutLogLoss() {
        // A rare, weak outcome: the case where ranking by accuracy and by log-loss part ways.
        var rng = RandomGenerator(seed: 11)
        let rows = 120, columns = 4, grid: [Double] = [0.1, 10, 1000]
        var x = [Float](), y = [Int]()
        for i in 0..<rows {
            let c = i % 6 == 0 ? 1 : 0
            for j in 0..<columns { x.append((j == 0 ? Float(c) * 0.8 : 0) + rng.nextNormal()) }
            y.append(c)
        }
        let folds = StratifiedSplit.folds(labels: y, folds: 4, seed: 2)
        let heldOutLogLoss = grid.map { l2 -> Double in
            var total = 0.0
            for f in 0..<4 {
                let train = (0..<rows).filter { folds[$0] != f }, test = (0..<rows).filter { folds[$0] == f }
                var model = LogisticRegression(l2: l2)
                model.fit(features: LogisticRegression.gather(x, train, columns), rows: train.count, columns: columns,
                          labels: train.map { y[$0] }, classCount: 2)
                let p = model.predictProbabilities(features: LogisticRegression.gather(x, test, columns), rows: test.count)
                for (r, row) in test.enumerated() { total -= log(p[r * 2 + y[row]]) }
            }
            return total
        }
        let best = grid[heldOutLogLoss.indices.min { heldOutLogLoss[$0] < heldOutLogLoss[$1] }!]
        let picked = LogisticRegression.crossValidated(features: x, rows: rows, columns: columns, labels: y, classCount: 2,
                                                       grid: grid, folds: 4, seed: 2, criterion: .logLoss)
        XCTAssertEqual(picked.model.l2, best)
    }

    func testStratifiedSplitKeepsClassShares() {
        let labels = (0..<100).map { $0 < 80 ? 0 : 1 }
        let (train, test) = StratifiedSplit.trainTest(labels: labels, heldOutFraction: 0.25, seed: 9)
        XCTAssertEqual(test.filter { labels[$0] == 0 }.count, 20)
        XCTAssertEqual(test.filter { labels[$0] == 1 }.count, 5)
        XCTAssertEqual(Set(train).union(test), Set(0..<100))
        XCTAssertTrue(Set(train).isDisjoint(with: test))
        XCTAssertEqual(StratifiedSplit.trainTest(labels: labels, heldOutFraction: 0.25, seed: 9).heldOut, test)
    }
}
