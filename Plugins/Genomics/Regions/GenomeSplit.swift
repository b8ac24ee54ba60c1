/// How to hold out validation data when no split is given.
public enum HoldOut: Equatable, Codable, Sendable {
    /// The last `fraction` of every region (HyenaDNA-style contiguous hold-out, no overlap with training).
    case tail(fraction: Double)
    /// Whole regions: every `every`-th one (the `every`th, 2·`every`th, ...), or the last one when that picks none
    /// of two or more. A single region is never held out whole, so validation is then empty.
    case wholeRegions(every: Int)

    /// The default: the last 10% of each record.
    public static let standard = HoldOut.tail(fraction: 0.1)
}

/// Regions for training, validation and testing.
public struct GenomeSplit: Equatable, Codable, Sendable {
    public var train: [GenomicRegion]
    public var validation: [GenomicRegion]
    public var test: [GenomicRegion]

    public init(train: [GenomicRegion], validation: [GenomicRegion], test: [GenomicRegion] = []) {
        self.train = train; self.validation = validation; self.test = test
    }

    /// Splits every record of a genome whole.
    public init(records: [SequenceRecord], holdOut: HoldOut = .standard) {
        self.init(regions: records.enumerated().map { GenomicRegion(record: $0.offset, range: 0..<$0.element.length) },
                  holdOut: holdOut)
    }

    /// Splits the given regions by `holdOut`; nothing goes to test.
    public init(regions: [GenomicRegion], holdOut: HoldOut = .standard) {
        var train: [GenomicRegion] = [], validation: [GenomicRegion] = []
        switch holdOut {
        case .tail(let fraction):
            for r in regions {
                let held = Int((Double(r.range.count) * fraction).rounded())
                let cut = r.range.upperBound - held
                if cut > r.range.lowerBound { train.append(GenomicRegion(record: r.record, range: r.range.lowerBound..<cut)) }
                if held > 0 { validation.append(GenomicRegion(record: r.record, range: cut..<r.range.upperBound)) }
            }
        case .wholeRegions(let every):
            var picked = Set(regions.indices.filter { ($0 + 1) % max(every, 1) == 0 })
            if picked.isEmpty && regions.count >= 2 { picked = [regions.count - 1] }
            for (i, r) in regions.enumerated() {
                if picked.contains(i) { validation.append(r) } else { train.append(r) }
            }
        }
        self.init(train: train, validation: validation)
    }

    /// Splits BED regions: by their 4th-column roles when they name them (then every line must),
    /// otherwise by `holdOut` applied to the regions.
    public init(bed: [BEDRegion], holdOut: HoldOut = .standard, file: String? = nil) throws {
        guard bed.contains(where: { $0.role != nil }) else {
            self.init(regions: bed.map(\.region), holdOut: holdOut)
            return
        }
        if let bad = bed.first(where: { $0.role == nil }) {
            throw RegionError(file: file, line: bad.line,
                              "other lines name a split in column 4; this one has '\(bad.name ?? "")' (use train, validation or test)")
        }
        self.init(train: bed.filter { $0.role == .train }.map(\.region),
                  validation: bed.filter { $0.role == .validation }.map(\.region),
                  test: bed.filter { $0.role == .test }.map(\.region))
    }
}
