/// The MEDS split a subject belongs to.
public enum SubjectSplit: String, Codable, Sendable, CaseIterable {
    case train, tuning, heldOut = "held_out"

    /// Seed of the fallback split, fixed so a cohort without split metadata splits the same way everywhere.
    public static let hashSeed: UInt64 = 0x5EC0_01A5_EED5_0001

    /// The fallback when a cohort names no splits: a seeded hash of the id puts 80% of subjects in train,
    /// 10% in tuning and 10% in held_out, independent of file order and cohort size.
    public static func hashed(_ subjectID: Int64) -> SubjectSplit {
        // splitmix64 finaliser: consecutive ids spread evenly.
        var z = UInt64(bitPattern: subjectID) &+ hashSeed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        switch z % 10 {
        case 0: return .tuning
        case 1: return .heldOut
        default: return .train
        }
    }
}
