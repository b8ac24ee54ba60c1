import Foundation

/// The SIMD width of the elementwise kernels: one AVX2 register.
typealias FloatVector = SIMD8<Float>
typealias IntVector = SIMD8<Int32>

/// SIMD transcendental functions for the elementwise kernels, where a libm call per element
/// would cost many times the memory traffic of a large tensor. Cephes-style range reduction
/// and polynomials, with the edge cases (inf, 0, NaN, subnormals) handled by selects rather
/// than branches.
///
/// Everything here is `@_transparent`: `@inline(__always)` is only a hint that the optimizer
/// drops for bodies this size, and a call boundary splits each SIMD8 into two 4-lane halves.
enum VectorMath {
    /// Loads `width` (1...8) floats; missing lanes hold `pad`.
    @_transparent
    static func load(_ p: UnsafePointer<Float>, _ width: Int, pad: Float = 0) -> FloatVector {
        if width == 8 { return UnsafeRawPointer(p).loadUnaligned(as: FloatVector.self) }
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
        return FloatVector(lowHalf: low, highHalf: high)
    }

    /// Stores the first `width` (1...8) lanes.
    @_transparent
    static func store(_ v: FloatVector, _ p: UnsafeMutablePointer<Float>, _ width: Int) {
        if width == 8 {
            UnsafeMutableRawPointer(p).storeBytes(of: v, as: FloatVector.self)
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
    static func hmax(_ v: FloatVector) -> Float {
        var a = v.lowHalf
        let b = v.highHalf
        a.replace(with: b, where: b .> a)
        var c = a.lowHalf
        let d = a.highHalf
        c.replace(with: d, where: d .> c)
        return Swift.max(c[0], c[1])
    }

    static let width = FloatVector.scalarCount

    @_transparent
    static func load(_ p: UnsafePointer<Float>) -> FloatVector {
        UnsafeRawPointer(p).loadUnaligned(as: FloatVector.self)
    }

    @_transparent
    static func store(_ v: FloatVector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: FloatVector.self)
    }

    /// a * b + c in one rounding (Swift does not contract `a * b + c` by itself).
    @_transparent
    static func fma(_ a: FloatVector, _ b: FloatVector, _ c: Float) -> FloatVector {
        FloatVector(repeating: c).addingProduct(a, b)
    }

    /// IEEE square root. Taking the magnitude first lets the compiler emit vsqrtps: with
    /// possibly negative lanes it calls libm's errno-setting sqrtf lane by lane.
    @_transparent
    static func sqrt(_ x: FloatVector) -> FloatVector {
        abs(x).squareRoot().replacing(with: .nan, where: x .< 0)
    }

    @_transparent
    static func bits(_ v: FloatVector) -> IntVector { unsafeBitCast(v, to: IntVector.self) }

    @_transparent
    static func float(bits v: IntVector) -> FloatVector { unsafeBitCast(v, to: FloatVector.self) }

    @_transparent
    static func abs(_ x: FloatVector) -> FloatVector { float(bits: bits(x) & 0x7fff_ffff) }

    /// `magnitude` with the sign bit of `sign` (magnitude must be non-negative).
    @_transparent
    static func withSign(of sign: FloatVector, _ magnitude: FloatVector) -> FloatVector {
        float(bits: bits(magnitude) | (bits(sign) & Int32(bitPattern: 0x8000_0000)))
    }

    /// Adding 1.5 * 2^23 rounds a float of magnitude < 2^22 to an integer held in the low
    /// mantissa bits; this avoids the vector float<->int conversions Swift may scalarise.
    static let roundingMagic: Float = 12_582_912

    @_transparent
    static func toFloat(_ n: IntVector) -> FloatVector {
        float(bits: n &+ bits(FloatVector(repeating: roundingMagic))) - roundingMagic
    }

    /// e^x within 1 ulp; overflows to inf above ~88.72, flushes to 0 below ~-103.97, with
    /// correctly scaled subnormals in between, and NaN in, NaN out.
    @_transparent
    static func exp(_ x: FloatVector) -> FloatVector {
        // Clamping (NaN compares false and passes) keeps n in range of the exponent arithmetic.
        var x = x.replacing(with: 89, where: x .> 89)
        x = x.replacing(with: -104, where: x .< -104)
        // x = n ln2 + r, |r| <= ln2 / 2; ln2 in two parts so n * ln2hi is exact.
        let shifted = FloatVector(repeating: roundingMagic).addingProduct(x, 1.442_695_040_888_963_4)
        let nf = shifted - roundingMagic
        let n = bits(shifted) &- bits(FloatVector(repeating: roundingMagic))
        var r = x.addingProduct(nf, -0.693_359_375)
        r = r.addingProduct(nf, 2.121_944_400_546_905_8e-4)
        var p = FloatVector(repeating: 1.987_569_150_0e-4)
        p = fma(p, r, 1.398_199_950_7e-3)
        p = fma(p, r, 8.333_451_907_3e-3)
        p = fma(p, r, 4.166_579_589_4e-2)
        p = fma(p, r, 1.666_666_545_9e-1)
        p = fma(p, r, 5.000_000_120_1e-1)
        let y = r.addingProduct(p, r * r) + 1
        // 2^n in two factors: n spans [-150, 128], beyond a single float exponent, and
        // the second multiply rounds subnormal results only once.
        let n1 = n &>> 1, n2 = n &- n1
        let s1 = float(bits: (n1 &+ 127) &<< 23), s2 = float(bits: (n2 &+ 127) &<< 23)
        return y * s1 * s2
    }

    /// Natural log within 1 ulp; log(0) = -inf, log(x < 0) = NaN, log(inf) = inf, NaN passes.
    @_transparent
    static func log(_ x: FloatVector) -> FloatVector {
        // Subnormals: scale into the normal range first, subtract the 23 from the exponent.
        let subnormal = x .< Float.leastNormalMagnitude
        let v = x.replacing(with: x * 8_388_608, where: subnormal)
        // x = 2^e * m, m in [sqrt(1/2), sqrt(2)), so log(m) = log1p(m - 1) is small.
        var e = (bits(v) &>> 23) &- 126
        e.replace(with: e &- 23, where: subnormal)
        var m = float(bits: (bits(v) & 0x007f_ffff) | 0x3f00_0000)
        let low = m .< 0.707_106_781_186_547_524
        e.replace(with: e &- 1, where: low)
        m = m + m.replacing(with: 0, where: .!low) - 1
        let ef = toFloat(e)
        let z = m * m
        var p = FloatVector(repeating: 7.037_683_629_2e-2)
        p = fma(p, m, -1.151_461_031_0e-1)
        p = fma(p, m, 1.167_699_874_0e-1)
        p = fma(p, m, -1.242_014_084_6e-1)
        p = fma(p, m, 1.424_932_278_7e-1)
        p = fma(p, m, -1.666_805_766_5e-1)
        p = fma(p, m, 2.000_071_476_5e-1)
        p = fma(p, m, -2.499_999_399_3e-1)
        p = fma(p, m, 3.333_333_117_4e-1)
        var y = p * m * z
        y = y.addingProduct(ef, -2.121_944_400_546_905_8e-4)
        y = y.addingProduct(z, -0.5)
        var r = (m + y).addingProduct(ef, 0.693_359_375)
        r.replace(with: x, where: .!(x .< .infinity))
        r.replace(with: .nan, where: x .< 0)
        r.replace(with: -.infinity, where: x .== 0)
        return r
    }

    /// log(1 + x) for x >= 0 (including inf), accurate also where 1 + x rounds to 1.
    @_transparent
    static func log1p(_ x: FloatVector) -> FloatVector {
        // Goldberg: log(u) * x / (u - 1) cancels the rounding error of u = 1 + x.
        let u = 1 + x, d = u - 1
        var r = log(u) * (x / d)
        r.replace(with: x, where: (d .== 0) .| (x .== .infinity))
        return r
    }

    /// tanh within 2 ulp; exactly +-1 for large |x|, odd (tanh(-0) = -0), NaN passes.
    @_transparent
    static func tanh(_ x: FloatVector) -> FloatVector {
        let a = abs(x)
        // Small |x|: odd polynomial, where (1 - e) / (1 + e) would cancel.
        let z = a * a
        var p = FloatVector(repeating: -5.704_988_727_45e-3)
        p = fma(p, z, 2.063_908_879_54e-2)
        p = fma(p, z, -5.373_971_555_31e-2)
        p = fma(p, z, 1.333_144_220_36e-1)
        p = fma(p, z, -3.333_328_194_22e-1)
        let small = a.addingProduct(a * z, p)
        // Large |x|: e = e^(-2|x|) <= 0.29 never overflows and 1 - e does not cancel.
        let e = exp(-2 * a)
        let large = (1 - e) / (1 + e)
        return withSign(of: x, large.replacing(with: small, where: a .< 0.625))
    }

    /// The standard normal CDF Phi(x) and density phi(x), together because they share
    /// e^(-x^2 / 2). Phi(-|x|) keeps its relative precision deep into the tail (a few ulp).
    @_transparent
    static func normal(_ x: FloatVector) -> (cdf: FloatVector, pdf: FloatVector) {
        // Both are exactly 0 or 1 in float beyond 20, and x^2 must stay finite below.
        var x = x.replacing(with: 20, where: x .> 20)
        x = x.replacing(with: -20, where: x .< -20)
        // e^(-x^2/2) with x^2 = h + l split exactly (l by FMA): rounding x^2 would cost
        // about x^2 / 4 ulps of relative error, 25 at x = 10.
        let h = x * x, l = (-h).addingProduct(x, x)
        let e = exp(-0.5 * h) * (1 - 0.5 * l)
        // Phi(-|x|) = t g(t) e / 2, t = 4 / (4 + |x|), g a degree-9 fit of
        // erfcx(|x| / sqrt 2) / t over all of t in (0, 1] (relative error 4.7e-8).
        let t = 4 / (4 + abs(x))
        var g = FloatVector(repeating: 0.039_564_066)
        g = fma(g, t, -0.161_754_82)
        g = fma(g, t, 0.191_194_5)
        g = fma(g, t, -0.063_435_32)
        g = fma(g, t, 0.127_398_34)
        g = fma(g, t, 0.117_950_27)
        g = fma(g, t, 0.163_206_22)
        g = fma(g, t, 0.186_932_71)
        g = fma(g, t, 0.199_472_86)
        g = fma(g, t, 0.199_471_13)
        let tail = 0.5 * t * g * e
        // |x| < 1: Phi(x) = 1/2 + x q(x^2), q a degree-5 fit (3.6e-8), which avoids the
        // several roundings of the tail formula where Phi is near 1/2.
        var q = FloatVector(repeating: -7.654_373e-6)
        q = fma(q, h, 1.134_868_3e-4)
        q = fma(q, h, -1.186_330_5e-3)
        q = fma(q, h, 9.973_324e-3)
        q = fma(q, h, -6.649_036e-2)
        q = fma(q, h, 0.398_942_3)
        let central = FloatVector(repeating: 0.5).addingProduct(x, q)
        var cdf = tail.replacing(with: 1 - tail, where: x .> 0)
        cdf.replace(with: central, where: abs(x) .< 1)
        return (cdf, 0.398_942_280_401_432_7 * e)
    }

    /// Beyond this |x| the three-part pi/2 no longer reduces to full precision; such lanes
    /// (and infinities) go to libm.
    static let sinCosLimit: Float = 8192

    /// sin and cos together (they share the reduction; the compiler drops the unused half),
    /// absolute error below 1e-7.
    @_transparent
    static func sinCos(_ x: FloatVector) -> (sin: FloatVector, cos: FloatVector) {
        if any(abs(x) .> sinCosLimit) {
            var s = x, c = x
            for k in 0..<width {
                s[k] = Foundation.sin(x[k])
                c[k] = Foundation.cos(x[k])
            }
            return (s, c)
        }
        // x = q pi/2 + r, |r| <= pi/4; pi/2 in three parts so q * part stays exact.
        let shifted = FloatVector(repeating: roundingMagic).addingProduct(x, 0.636_619_772_367_581_3)
        let qf = shifted - roundingMagic
        let q = bits(shifted) &- bits(FloatVector(repeating: roundingMagic))
        var r = x.addingProduct(qf, -1.570_312_5)
        r = r.addingProduct(qf, -4.837_512_969_970_703_125e-4)
        r = r.addingProduct(qf, -7.549_789_954_891_882_16e-8)
        let z = r * r
        // Cephes minimax polynomials on [-pi/4, pi/4].
        var ps = FloatVector(repeating: -1.951_529_589_1e-4)
        ps = fma(ps, z, 8.332_160_873_6e-3)
        ps = fma(ps, z, -1.666_665_461_1e-1)
        let sinR = r.addingProduct(ps * z, r)
        var pc = FloatVector(repeating: 2.443_315_711_809_948e-5)
        pc = fma(pc, z, -1.388_731_625_493_765e-3)
        pc = fma(pc, z, 4.166_664_568_298_827e-2)
        let cosR = (1 - 0.5 * z).addingProduct(pc * z, z)
        // Quadrant q mod 4: odd swaps the polynomials; the sign flips by bit 1 of q (sin)
        // or of q + 1 (cos). Two's complement makes this right for negative q too.
        // (Integer lane comparisons are scalarised by the compiler; a bit mask is not.)
        let swap = (bits(sinR) ^ bits(cosR)) & (0 &- (q & 1))
        let sinQ = float(bits: bits(sinR) ^ swap), cosQ = float(bits: bits(cosR) ^ swap)
        let sinSign = (q & 2) &<< 30, cosSign = ((q &+ 1) & 2) &<< 30
        return (float(bits: bits(sinQ) ^ sinSign), float(bits: bits(cosQ) ^ cosSign))
    }

    /// Logistic 1 / (1 + e^-x), from e^(-|x|) so neither side overflows and the negative
    /// tail keeps full relative precision down to the subnormals.
    @_transparent
    static func sigmoid(_ x: FloatVector) -> FloatVector {
        let e = exp(-abs(x))
        return e.replacing(with: 1, where: x .>= 0) / (1 + e)
    }
}
