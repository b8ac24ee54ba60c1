/// The column means of `count` rows of `width` floats, summed in double precision: the mean
/// embedding of a region or protein, whose rows can run to millions.
public func columnMeans(_ rows: UnsafePointer<Float>, count: Int, width: Int) -> [Float] {
    var sums = [Double](repeating: 0, count: width)
    sums.withUnsafeMutableBufferPointer { s in
        for r in 0..<count {
            let row = rows + r * width
            for c in 0..<width { s[c] += Double(row[c]) }
        }
    }
    return sums.map { Float($0 / Double(count)) }
}
