import SequoiaTensor

/// A window to train on: where it is, and whether to use its reverse complement.
public struct SampledWindow: Hashable, Codable, Sendable {
    public var region: GenomicRegion
    public var reverseComplement: Bool
    public init(region: GenomicRegion, reverseComplement: Bool) {
        self.region = region; self.reverseComplement = reverseComplement
    }

    /// The window's token ids from `source`, reverse-complemented when asked.
    public func tokens(from source: SequenceSource) throws -> [Int32] {
        let ids = NucleotideTokenizer.encode(try source.fetch(record: region.record, range: region.range))
        return reverseComplement ? NucleotideTokenizer.reverseComplement(ids) : ids
    }
}

/// Draws training windows of a fixed length uniformly over every position where one fits, so a region is
/// picked in proportion to its number of windows (length - L + 1). Regions shorter than L are skipped, not padded.
/// Deterministic from its `state`, which checkpoints save to resume the same stream exactly.
public struct WindowSampler: Sendable {
    /// Everything that changes as windows are drawn.
    public struct State: Codable, Equatable, Sendable {
        public var rng: RandomGenerator
        /// Windows drawn so far.
        public var drawn: Int
        public init(rng: RandomGenerator, drawn: Int = 0) { self.rng = rng; self.drawn = drawn }
    }

    public let length: Int
    /// The regions long enough for a window.
    public let regions: [GenomicRegion]
    /// How many given regions were shorter than `length`.
    public let skippedRegions: Int
    /// Chance of a window being reverse-complemented (HyenaDNA uses 0.5).
    public let reverseComplementProbability: Float
    public var state: State
    // cumulative[i] = windows in regions[0..<i+1]
    private let cumulative: [Int]

    /// Fails when `length` < 1 or no region holds a window of that length; `source`, if given, names the file
    /// and the longest region's record in that error.
    public init(regions: [GenomicRegion], length: Int, seed: UInt64, reverseComplementProbability: Float = 0.5,
                source: SequenceSource? = nil) throws {
        guard length > 0 else { throw RegionError(file: source?.path, "window length must be positive, got \(length)") }
        let usable = regions.filter { $0.range.count >= length }
        guard !usable.isEmpty else {
            var longest = "no regions"
            if let r = regions.max(by: { $0.range.count < $1.range.count }) {
                let name = source.map { " record '\($0.records[r.record].name)'" } ?? ""
                longest = "longest \(r.range.count) nt" + (name.isEmpty ? "" : ",\(name) \(r.range.lowerBound)..<\(r.range.upperBound)")
            }
            throw RegionError(file: source?.path, "window length \(length) is longer than every region (\(longest))")
        }
        self.length = length
        self.regions = usable
        skippedRegions = regions.count - usable.count
        self.reverseComplementProbability = reverseComplementProbability
        state = State(rng: RandomGenerator(seed: seed))
        var total = 0
        cumulative = usable.map { total += $0.range.count - length + 1; return total }
    }

    /// Number of distinct windows.
    public var windowCount: Int { cumulative.last! }

    /// The next window.
    public mutating func next() -> SampledWindow {
        let pick = state.rng.nextInt(windowCount)
        // First region whose cumulative count exceeds pick.
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > pick { hi = mid } else { lo = mid + 1 }
        }
        let before = lo == 0 ? 0 : cumulative[lo - 1]
        let start = regions[lo].range.lowerBound + pick - before
        let flip = state.rng.nextFloat() < reverseComplementProbability
        state.drawn += 1
        return SampledWindow(region: GenomicRegion(record: regions[lo].record, range: start..<(start + length)),
                             reverseComplement: flip)
    }

    /// The next `count` windows.
    public mutating func next(_ count: Int) -> [SampledWindow] { (0..<count).map { _ in next() } }
}

/// Tiles each region from its start into consecutive, non-overlapping windows of `length`, in order.
/// A region's last partial window is dropped unless `keepRemainder`, so scores cover whole windows only.
public func evaluationWindows(length: Int, regions: [GenomicRegion], keepRemainder: Bool = false) -> [GenomicRegion] {
    precondition(length > 0, "window length must be positive")
    var windows: [GenomicRegion] = []
    for r in regions {
        var start = r.range.lowerBound
        while start + length <= r.range.upperBound {
            windows.append(GenomicRegion(record: r.record, range: start..<(start + length)))
            start += length
        }
        if keepRemainder && start < r.range.upperBound {
            windows.append(GenomicRegion(record: r.record, range: start..<r.range.upperBound))
        }
    }
    return windows
}
