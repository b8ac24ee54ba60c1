import CBLAS
import Foundation
import SequoiaTensor

/// Floor-2 kernels against the machine's own ceilings: GEMM against raw cblas_sgemm,
/// memory-bound ops against a plain copy loop, FFT convolution across lengths, and the
/// parallel-for's speed-up on a compute-bound kernel.
enum CoreBench {
    static func run(quick: Bool) {
        print("## Core kernels\n")
        gemm(sizes: quick ? [256, 512, 1024] : [256, 512, 1024, 2048, 4096])
        memoryBound(count: quick ? 1 << 22 : 1 << 24)
        fftConvolution(maxLog2: quick ? 16 : 20)
        parallelSpeedup()
    }

    static func gemm(sizes: [Int]) {
        var rng = RandomGenerator(seed: 1)
        var table = Table("n", "cblas_sgemm GFLOP/s", "matmul GFLOP/s", "linear GFLOP/s", "matmul / cblas", "linear / cblas")
        for n in sizes {
            let a = Tensor.randn([n, n], rng: &rng), b = Tensor.randn([n, n], rng: &rng)
            let c = Tensor.zeros([n, n])
            let flops = 2 * Double(n) * Double(n) * Double(n)
            let runs = n >= 2048 ? 2 : 5
            let raw = measure(minRuns: runs) {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                            a.pointer, Int32(n), b.pointer, Int32(n), 0, c.pointer, Int32(n))
            }
            let ours = measure(minRuns: runs) { _ = matmul(a, b) }
            let lin = measure(minRuns: runs) { _ = linear(a, weight: b, bias: nil) }
            table.add("\(n)", gf(flops / raw), gf(flops / ours), gf(flops / lin),
                      pct(raw / ours), pct(raw / lin))
        }
        print("GEMM, square n x n x n, float32 (best of several runs)\n")
        print(table.render() + "\n")
    }

    static func memoryBound(count n: Int) {
        var rng = RandomGenerator(seed: 2)
        let a = Tensor.uniform([n], low: -2, high: 2, rng: &rng), b = Tensor.uniform([n], low: 1, high: 2, rng: &rng)
        let dst = Tensor.zeros([n])
        let bytes = Double(n * 4)
        let copy = measure {
            let s = a.pointer, d = dst.pointer
            Parallel.forChunks(n, grain: 1 << 16) { r in for i in r { d[i] = s[i] } }
        }
        let copyRate = 2 * bytes / copy
        var table = Table("op", "GB/s", "vs copy loop")
        table.add("copy loop (read + write)", gb(copyRate), "100%")
        func row(_ name: String, traffic: Double, _ body: () -> Void) {
            let t = measure(body)
            table.add(name, gb(traffic * bytes / t), pct(traffic * bytes / t / copyRate))
        }
        row("a + b", traffic: 3) { _ = a + b }
        row("a * b", traffic: 3) { _ = a * b }
        row("a * 2", traffic: 2) { _ = a * 2 }
        row("exp", traffic: 2) { _ = a.exp() }
        row("log", traffic: 2) { _ = b.log() }
        row("tanh", traffic: 2) { _ = a.tanh() }
        row("sigmoid", traffic: 2) { _ = a.sigmoid() }
        row("silu", traffic: 2) { _ = a.silu() }
        row("relu", traffic: 2) { _ = a.relu() }
        row("sum (all)", traffic: 1) { _ = a.sum() }
        let rows = a.reshaped([n / 1024, 1024])
        row("sum over last axis [n/1024, 1024]", traffic: 1) { _ = rows.sum(axis: -1) }
        row("softmax [n/1024, 1024]", traffic: 2) { _ = rows.softmax() }
        print("Memory-bound ops on \(n) floats (\((n * 4) >> 20) MiB per tensor), \(Parallel.threadCount) threads\n")
        print(table.render() + "\n")
    }

    static func fftConvolution(maxLog2: Int) {
        var rng = RandomGenerator(seed: 3)
        let channels = 4
        var table = Table("L", "forward ms", "forward + backward ms", "ns per (channel x L) forward")
        for p in stride(from: 10, through: maxLog2, by: 2) {
            let l = 1 << p
            let u = Tensor.randn([1, channels, l], rng: &rng, requiresGrad: true)
            let k = Tensor.randn([channels, l], std: 0.1, rng: &rng, requiresGrad: true)
            let fwd = GradMode.withoutGrad { measure(minRuns: 3, minSeconds: 0.2) { _ = fftConv(u, k) } }
            let g = Tensor.ones([1, channels, l])
            let both = measure(minRuns: 3, minSeconds: 0.2) {
                fftConv(u, k).backward(g)
                u.zeroGrad(); k.zeroGrad()
            }
            table.add("2^\(p)", ms(fwd), ms(both), String(format: "%.1f", fwd * 1e9 / Double(channels * l)))
        }
        print("FFT causal convolution (real FFT of length 2L), batch 1, \(channels) channels\n")
        print(table.render() + "\n")
    }

    static func parallelSpeedup() {
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.uniform([1 << 22], low: -3, high: 3, rng: &rng)
        let threads = Parallel.threadCount
        Parallel.setThreadCount(1)
        let one = measure { _ = x.gelu() }
        Parallel.setThreadCount(threads)
        let many = measure { _ = x.gelu() }
        print("Parallel-for on a compute-bound kernel (exact GELU with erf, 4M elements)\n")
        var table = Table("threads", "ms", "speed-up")
        table.add("1", ms(one), "1.00x")
        table.add("\(threads)", ms(many), String(format: "%.2fx", one / many))
        print(table.render() + "\n")
    }
}

func gf(_ flopsPerSecond: Double) -> String { String(format: "%.1f", flopsPerSecond / 1e9) }
func gb(_ bytesPerSecond: Double) -> String { String(format: "%.1f", bytesPerSecond / 1e9) }
func ms(_ seconds: Double) -> String { String(format: "%.2f", seconds * 1e3) }
func pct(_ ratio: Double) -> String { String(format: "%.0f%%", ratio * 100) }
