/// Age and sex read from a history's events: the birth time from a `MEDS_BIRTH` event (MEDS's birth code)
/// and sex from codes such as `GENDER//M`, `GENDER//F`, `SEX//male`, `SEX//Female` (OMOP and MIMIC
/// conversions write these, as static facts or at birth). Other values leave sex unknown.
struct Demographics {
    enum Sex { case male, female }
    enum Role { case birth, sex }

    static let microsecondsPerYear = 365.25 * 86_400_000_000

    private(set) var birth: Int64?
    private(set) var sex: Sex?

    /// What a code tells about demographics, if anything.
    static func role(of code: String) -> Role? {
        if code == "MEDS_BIRTH" { return .birth }
        return sexPrefix(of: code) == nil ? nil : .sex
    }

    mutating func observe(_ event: MEDSEvent) {
        if event.code == "MEDS_BIRTH" {
            if let time = event.time { birth = time }
        } else if let prefix = Self.sexPrefix(of: event.code) {
            switch event.code.dropFirst(prefix).uppercased() {
            case "M", "MALE": sex = .male
            case "F", "FEMALE": sex = .female
            default: break
            }
        }
    }

    /// Length of a `GENDER//` or `SEX//` prefix (any case), or nil.
    private static func sexPrefix(of code: String) -> Int? {
        let utf8 = code.utf8
        for prefix in ["GENDER//", "SEX//"] where utf8.count > prefix.utf8.count {
            if zip(utf8, prefix.utf8).allSatisfy({ $0 & 0xDF == $1 & 0xDF }) { return prefix.utf8.count }
        }
        return nil
    }
}
