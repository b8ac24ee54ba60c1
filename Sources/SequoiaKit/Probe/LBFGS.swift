/// Limited-memory BFGS with a backtracking (Armijo) line search, for smooth convex objectives.
struct LBFGS {
    let dimension: Int
    var history = 10
    private(set) var iterations = 0

    init(dimension: Int) { self.dimension = dimension }

    /// Minimises `f` from `start`; stops when max|∇f| < gradientTolerance, the relative decrease of f
    /// stalls below 1e-12, or after maxIterations.
    mutating func minimize(start: [Double], maxIterations: Int, gradientTolerance: Double,
                           _ f: ([Double]) -> (Double, [Double])) -> [Double] {
        var x = start
        var (fx, g) = f(x)
        var s: [[Double]] = [], y: [[Double]] = [], rho: [Double] = []
        iterations = 0
        while iterations < maxIterations, maxAbs(g) >= gradientTolerance {
            iterations += 1
            // Two-loop recursion: direction = −H·g.
            var q = g
            var alpha = [Double](repeating: 0, count: s.count)
            for i in stride(from: s.count - 1, through: 0, by: -1) {
                alpha[i] = rho[i] * dot(s[i], q)
                axpy(-alpha[i], y[i], &q)
            }
            let gamma = s.isEmpty ? 1 / max(1, maxAbs(g)) : dot(s[s.count - 1], y[y.count - 1]) / dot(y[y.count - 1], y[y.count - 1])
            for i in 0..<q.count { q[i] *= gamma }
            for i in 0..<s.count {
                let beta = rho[i] * dot(y[i], q)
                axpy(alpha[i] - beta, s[i], &q)
            }
            var direction = q.map { -$0 }
            var slope = dot(g, direction)
            if slope >= 0 {  // not a descent direction: restart from steepest descent
                s.removeAll(); y.removeAll(); rho.removeAll()
                direction = g.map { -$0 / max(1, maxAbs(g)) }
                slope = dot(g, direction)
            }
            var step = 1.0
            var accepted: (x: [Double], f: Double, g: [Double])?
            for _ in 0..<60 {
                var candidate = x
                axpy(step, direction, &candidate)
                let (fc, gc) = f(candidate)
                if fc.isFinite, fc <= fx + 1e-4 * step * slope { accepted = (candidate, fc, gc); break }
                step *= 0.5
            }
            guard let next = accepted else { break }
            let sk = zip(next.x, x).map { $0 - $1 }, yk = zip(next.g, g).map { $0 - $1 }
            let sy = dot(sk, yk)
            if sy > 1e-12 * dot(yk, yk) {
                s.append(sk); y.append(yk); rho.append(1 / sy)
                if s.count > history { s.removeFirst(); y.removeFirst(); rho.removeFirst() }
            }
            let decrease = fx - next.f
            x = next.x; fx = next.f; g = next.g
            if decrease <= 1e-12 * max(1, abs(fx)) { break }
        }
        return x
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    private func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        for i in 0..<x.count { y[i] += a * x[i] }
    }

    private func maxAbs(_ a: [Double]) -> Double { a.reduce(0) { max($0, abs($1)) } }
}
