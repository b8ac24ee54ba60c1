/// SIMD building blocks for the row kernels: 8-lane loads and stores with ragged tails, and a
/// vector exp (libm's expf is scalar and would dominate softmax and cross-entropy).
///
/// Everything here is @_transparent: with @inline(__always) the optimizer still emitted
/// out-of-line calls that pass each vector as two 128-bit halves.

typealias Vec8 = SIMD8<Float>

/// Loads `width` (1...8) floats; missing lanes hold `pad`.
@_transparent
func vload(_ p: UnsafePointer<Float>, _ width: Int, pad: Float = 0) -> Vec8 {
    if width == 8 { return UnsafeRawPointer(p).loadUnaligned(as: Vec8.self) }
    // Tails go through memory with a plain byte copy: lane-by-lane inserts make LLVM split the
    // whole loop into 128-bit halves.
    var v = Vec8(repeating: pad)
    withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: p, byteCount: width * 4) }
    return v
}

/// Stores the first `width` (1...8) lanes.
@_transparent
func vstore(_ v: Vec8, _ p: UnsafeMutablePointer<Float>, _ width: Int) {
    if width == 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec8.self)
        return
    }
    withUnsafeBytes(of: v) { UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: width * 4) }
}

/// e^x lane-wise, within 1.5 ulp of expf: Cody-Waite reduction x = n ln2 + r with |r| <= ln2/2, a
/// degree-6 polynomial (Cephes), then 2^n applied as two halves so that gradual underflow down to
/// e^-104 and overflow past 88.72 come out as the IEEE results (0 and +inf). NaN propagates.
@_transparent
func vexp(_ x: Vec8) -> Vec8 {
    let hi: Float = 88.72283, lo: Float = -104.5
    // Clamp with compare-and-blend: stdlib pointwiseMin/Max are out-of-line calls here.
    var xc = x
    xc.replace(with: lo, where: x .< lo)
    xc.replace(with: hi, where: x .> hi)
    // Adding 1.5 * 2^23 rounds to the nearest integer and leaves it in the low mantissa bits.
    let magic: Float = 12_582_912
    let t = Vec8(repeating: magic).addingProduct(xc, Vec8(repeating: 1.442_695_04))
    let nf = t - magic
    var r = xc.addingProduct(nf, Vec8(repeating: -0.693_359_375))
    r = r.addingProduct(nf, Vec8(repeating: 2.121_944_4e-4))
    var p = Vec8(repeating: 1.987_569_15e-4)
    p = Vec8(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
    p = Vec8(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
    p = Vec8(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
    p = Vec8(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
    p = Vec8(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
    let y = (r + 1).addingProduct(p, r * r)
    let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
    let n1 = n &>> 1, n2 = n &- n1
    let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: Vec8.self)
    let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: Vec8.self)
    var e = y * s1 * s2
    e.replace(with: .infinity, where: x .> hi)
    e.replace(with: x, where: x .!= x)
    return e
}
