/// A property by which evaluated rows are split into quartiles.
public enum Stratifier: String, Codable, CaseIterable, Sendable {
    case repetition, irregularity, length

    /// Axis and table label, with the unit.
    public var title: String {
        switch self {
        case .repetition: return "repetition (share of repeated codes)"
        case .irregularity: return "irregularity (SD of inter-event days)"
        case .length: return "timeline length (events)"
        }
    }
}
