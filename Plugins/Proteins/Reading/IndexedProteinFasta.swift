import SequoiaKit

/// Proteins fetched one at a time from a plain or bgzip FASTA by random access (SequoiaKit's faidx reader),
/// found by their id (the header's whole first word) or, for UniProt `sp|ACC|NAME` ids, accession or entry name.
/// The whole file goes through `ProteinFastaReader`'s checks once, when its index is built; every fetched
/// record goes through the same residue checks again, since an index made elsewhere skipped them.
public final class IndexedProteinFasta {
    public var path: String { file.path }
    /// Record ids in file order.
    public let ids: [String]
    private let file: FaidxFasta
    private let names: ProteinNameIndex

    /// Opens `fasta`, building its index when missing or stale (beside it, else under `cacheDirectory`, by
    /// default `~/.cache/sequoia/faidx`); plain gzip is a `FastaError` asking for bgzip.
    public init(_ fasta: String, cacheDirectory: String? = nil) throws {
        file = try FaidxFasta(path: fasta, cacheDirectory: cacheDirectory) {
            try ProteinFastaReader(fasta).forEach { _ in }
        }
        ids = file.records.map(\.name)
        names = ProteinNameIndex(ids: ids)
    }

    /// The record number of `name`: an id, or the accession or entry name of a UniProt id.
    public func recordIndex(named name: String) -> Int? { names.lookup(name) }

    /// Record number `index`, checked and folded as the streaming reader does (its description is not kept).
    public func record(_ index: Int) throws -> ProteinRecord {
        let id = ids[index]
        var residues = ProteinResidues(path: path, id: id)
        try residues.add(try file.fetch(record: index, range: 0..<file.records[index].length), line: nil)
        return ProteinRecord(id: id, accession: ProteinRecord.uniProtAccession(id), description: "",
                             residues: try residues.finish(headerLine: nil))
    }
}
