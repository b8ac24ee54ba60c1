/// Finds a protein by the names a graph may use for it: its FASTA id, the accession and entry name
/// of a UniProt `db|ACCESSION|ENTRY_NAME` id, and STRING's `TAXON.NAME` with the taxon dropped.
public struct ProteinNameIndex {
    private var index: [String: Int] = [:]

    /// Indexes `ids` (FASTA ids, in record order); an exact id wins over an alias.
    public init(ids: [String]) {
        for (i, id) in ids.enumerated() {
            let parts = id.split(separator: "|").map(String.init)
            if parts.count == 3 {
                for alias in parts.dropFirst() where index[alias] == nil { index[alias] = i }
            }
        }
        for (i, id) in ids.enumerated() { index[id] = i }
    }

    /// The record index of `name`, or nil when no protein carries it.
    public func lookup(_ name: String) -> Int? {
        if let i = index[name] { return i }
        if let dot = name.firstIndex(of: "."), name[..<dot].allSatisfy(\.isNumber) {
            return index[String(name[name.index(after: dot)...])]
        }
        return nil
    }
}
