/// SIMD building blocks for the row kernels: 8-lane loads and stores with ragged tails, and a
/// vector exp (libm's expf is scalar and would dominate softmax and cross-entropy).

typealias Vec8 = SIMD8<Float>

/// Loads `width` (1...8) floats; missing lanes hold `pad`.
@inline(__always)
func vload(_ p: UnsafePointer<Float>, _ width: Int, pad: Float = 0) -> Vec8 {
    if width == 8 { return UnsafeRawPointer(p).loadUnaligned(as: Vec8.self) }
    var v = Vec8(repeating: pad)
    for j in 0..<width { v[j] = p[j] }
    return v
}

/// Stores the first `width` (1...8) lanes.
@inline(__always)
func vstore(_ v: Vec8, _ p: UnsafeMutablePointer<Float>, _ width: Int) {
    if width == 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec8.self)
        return
    }
    for j in 0..<width { p[j] = v[j] }
}

/// Calls `body(offset, width)` over 0..<count in steps of 8, the last step possibly narrower.
@inline(__always)
func forEachVector(_ count: Int, _ body: (Int, Int) -> Void) {
    var j = 0
    while j + 8 <= count {
        body(j, 8)
        j += 8
    }
    if j < count { body(j, count - j) }
}

/// e^x lane-wise, within 2 ulp of expf: Cody-Waite reduction x = n ln2 + r with |r| <= ln2/2, a
/// degree-6 polynomial (Cephes), then 2^n applied as two halves so that gradual underflow down to
/// e^-104 and overflow past 88.72 come out as the IEEE results (0 and +inf). NaN propagates.
@inline(__always)
func vexp(_ x: Vec8) -> Vec8 {
    let hi: Float = 88.72283, lo: Float = -104.5
    let xc = pointwiseMin(pointwiseMax(x, Vec8(repeating: lo)), Vec8(repeating: hi))
    // Adding 1.5 * 2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
    let magic: Float = 12_582_912
    let t = Vec8(repeating: magic).addingProduct(xc, Vec8(repeating: 1.442_695_04))
    let nf = t - magic
    var r = xc.addingProduct(nf, Vec8(repeating: -0.693_359_375))
    r = r.addingProduct(nf, Vec8(repeating: 2.121_944_4e-4))
    var p = Vec8(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let y = (r + 1).addingProduct(p, r * r)
    let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let n1 = n &>> 1, n2 = n &- n1
    let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: Vec8.self)
    let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: Vec8.self)
    var e = y * s1 * s2
    e.replace(with: .infinity, where: x .> hi)
    return e
}
