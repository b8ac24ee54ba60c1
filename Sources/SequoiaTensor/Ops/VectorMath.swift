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
    // Tails are built in 4-lane halves: a memcpy through the stack stalls store-to-load
    // forwarding (it dominated rows of a few classes), and 8-lane inserts at a variable index
    // make LLVM split the whole loop into 128-bit halves.
    var low = SIMD4<Float>(repeating: pad), high = SIMD4<Float>(repeating: pad)
    if width >= 4 {
        low = UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
        for j in 4..<width { high[j - 4] = p[j] }
    } else {
        for j in 0..<width { low[j] = p[j] }
    }
    return Vec8(lowHalf: low, highHalf: high)
}

/// Stores the first `width` (1...8) lanes.
@_transparent
func vstore(_ v: Vec8, _ p: UnsafeMutablePointer<Float>, _ width: Int) {
    if width == 8 {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec8.self)
        return
    }
    // Through a stack copy: extracting lanes at a variable index scalarises the whole loop.
    var tail = v
    withUnsafeBytes(of: &tail) { raw in
        let lanes = raw.baseAddress!.assumingMemoryBound(to: Float.self)
        for j in 0..<width { p[j] = lanes[j] }
    }
}

/// The largest lane (NaN lanes are skipped unless all are NaN); stdlib's `max()` is an
/// out-of-line scalar loop.
@_transparent
func hmax(_ v: Vec8) -> Float {
    var a = v.lowHalf
    let b = v.highHalf
    a.replace(with: b, where: b .> a)
    var c = a.lowHalf
    let d = a.highHalf
    c.replace(with: d, where: d .> c)
    return Swift.max(c[0], c[1])
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
