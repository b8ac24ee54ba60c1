import Foundation

/// The baseline's features of one prediction: log(1 + count) of each vocabulary code among the events
/// before the prediction time, then age in years at the prediction time, whether the age is known, and
/// male / female indicators. log1p keeps a code recorded at every visit of a long timeline from swamping
/// codes seen once (the counts are heavy-tailed); the logistic regression standardises the columns anyway.
public struct CodeCountFeatures: Equatable, Sendable {
    /// Codes with a column, in column order: the codes most often present in the fitted histories.
    public let vocabulary: [String]
    /// The demographic columns after the code columns.
    public static let demographicColumns = ["age_years", "age_known", "sex_male", "sex_female"]

    private let columnOf: [String: Int]

    /// A vocabulary of the codes present in the most `histories` (ties by code), at most `maxCodes`;
    /// the birth and sex codes feed the demographic columns instead.
    public init(fitting histories: [ArraySlice<MEDSEvent>], maxCodes: Int = 10_000) {
        var presence: [String: Int] = [:]
        var inHistory = Set<String>()
        for history in histories {
            inHistory.removeAll(keepingCapacity: true)
            for event in history where Demographics.role(of: event.code) == nil { inHistory.insert(event.code) }
            for code in inHistory { presence[code, default: 0] += 1 }
        }
        let ranked = presence.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        self.init(vocabulary: ranked.prefix(maxCodes).map(\.key))
    }

    /// Features over a given vocabulary.
    public init(vocabulary: [String]) {
        self.vocabulary = vocabulary
        columnOf = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
    }

    /// Code columns plus the four demographic columns.
    public var columnCount: Int { vocabulary.count + Self.demographicColumns.count }

    /// Row-major [histories.count, columnCount] features; `predictionTimes[i]` is when history i's prediction is made.
    public func matrix(_ histories: [ArraySlice<MEDSEvent>], predictionTimes: [Int64]) -> [Float] {
        precondition(histories.count == predictionTimes.count, "one prediction time per history")
        let width = columnCount, codes = vocabulary.count
        var x = [Float](repeating: 0, count: histories.count * width)
        for (row, history) in histories.enumerated() {
            let base = row * width
            var demographics = Demographics()
            for event in history {
                if let column = columnOf[event.code] { x[base + column] += 1 } else { demographics.observe(event) }
            }
            for column in 0..<codes where x[base + column] > 0 { x[base + column] = Float(Foundation.log1p(Double(x[base + column]))) }
            if let birth = demographics.birth {
                x[base + codes] = Float(Double(predictionTimes[row] - birth) / Demographics.microsecondsPerYear)
                x[base + codes + 1] = 1
            }
            if demographics.sex == .male { x[base + codes + 2] = 1 }
            if demographics.sex == .female { x[base + codes + 3] = 1 }
        }
        return x
    }
}
