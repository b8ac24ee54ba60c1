/// One protein from a FASTA file.
public struct ProteinRecord: Equatable, Sendable {
    /// The header's first word, whole (`sp|P69905|HBA_HUMAN` stays as is).
    public var id: String
    /// The middle field of a UniProt `sp|ACC|NAME` / `tr|ACC|NAME` id, else nil.
    public var accession: String?
    /// The rest of the header after the id (may be empty).
    public var description: String
    /// Upper-case residue letters (ESM alphabet), a trailing stop '*' removed.
    public var residues: [UInt8]

    public init(id: String, accession: String?, description: String, residues: [UInt8]) {
        self.id = id; self.accession = accession; self.description = description; self.residues = residues
    }

    /// The UniProt accession in `id`, when it has the `sp|ACC|NAME` or `tr|ACC|NAME` shape.
    public static func uniProtAccession(_ id: String) -> String? {
        let fields = id.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[0] == "sp" || fields[0] == "tr", !fields[1].isEmpty else { return nil }
        return String(fields[1])
    }
}
