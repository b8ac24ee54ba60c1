/// One stretch of a genome to embed, with the id it is stored under.
public struct EmbeddingRegion: Equatable, Sendable {
    /// The BED name, or "record:start-end" (0-based, end exclusive) when there is none.
    public let id: String
    public let region: GenomicRegion
    /// Where it came from, for messages: "file line N", or the FASTA record.
    public let origin: String

    /// The regions of a BED file, or every whole record of `source` when `bed` is nil.
    public static func regions(in source: SequenceSource, bed: String?) throws -> [EmbeddingRegion] {
        func defaultID(_ r: GenomicRegion) -> String {
            "\(source.records[r.record].name):\(r.range.lowerBound)-\(r.range.upperBound)"
        }
        guard let bed else {
            return source.records.enumerated().map { i, record in
                let region = GenomicRegion(record: i, range: 0..<record.length)
                return EmbeddingRegion(id: defaultID(region), region: region, origin: "\(source.path) record '\(record.name)'")
            }
        }
        return try BEDReader.read(bed, records: source.records).map {
            EmbeddingRegion(id: $0.name ?? defaultID($0.region), region: $0.region, origin: "\(bed) line \($0.line)")
        }
    }
}
