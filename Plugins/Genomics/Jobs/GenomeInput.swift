import Foundation

/// The FASTA and optional BED options shared by the genomics jobs, resolved to a source and a
/// train/validation split.
struct GenomeInput {
    let source: SequenceSource
    let split: GenomeSplit

    init(fasta: String, regions: String?, holdOut: HoldOut) throws {
        source = try FastaReader.open(fasta)
        if let bed = regions {
            split = try GenomeSplit(bed: BEDReader.read(bed, records: source.records), holdOut: holdOut, file: bed)
        } else {
            split = GenomeSplit(records: source.records, holdOut: holdOut)
        }
    }

    /// Token ids of each region.
    func tokens(_ regions: [GenomicRegion]) throws -> [[Int32]] {
        try regions.map { NucleotideTokenizer.encode(try source.fetch(record: $0.record, range: $0.range)) }
    }
}
