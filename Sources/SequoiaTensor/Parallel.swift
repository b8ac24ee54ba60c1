import CBLAS
import Dispatch
import Foundation

/// Data-parallel loops over the machine's cores.
///
/// OpenBLAS keeps its own thread pool; our kernels never call BLAS from inside a parallel
/// loop, and BLAS never runs while a loop is in flight, so the two pools take turns and the
/// cores are not oversubscribed.
public enum Parallel {
    /// Worker count for our loops (and OpenBLAS's). Defaults to the active core count, or
    /// SEQUOIA_NUM_THREADS when set.
    public private(set) static var threadCount: Int = {
        let env = ProcessInfo.processInfo.environment["SEQUOIA_NUM_THREADS"].flatMap(Int.init)
        let n = max(1, env ?? ProcessInfo.processInfo.activeProcessorCount)
        openblas_set_num_threads(Int32(n))
        return n
    }()

    /// Sets the worker count for our loops and for OpenBLAS together.
    public static func setThreadCount(_ n: Int) {
        threadCount = max(1, n)
        openblas_set_num_threads(Int32(threadCount))
    }

    /// How many chunks `forChunks` splits `count` items into (so callers can size
    /// per-chunk scratch, e.g. partial sums reduced afterwards).
    public static func chunkCount(_ count: Int, grain: Int) -> Int {
        max(1, min(threadCount, count / max(grain, 1)))
    }

    /// Calls `body` on disjoint ranges covering 0..<count. Work smaller than `grain` items
    /// per thread runs inline on the caller.
    @inline(__always)
    public static func forChunks(_ count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        forIndexedChunks(count, grain: grain) { _, r in body(r) }
    }

    /// `forChunks` that also passes the chunk's index in 0..<chunkCount(count, grain:).
    @inline(__always)
    public static func forIndexedChunks(_ count: Int, grain: Int, _ body: (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(count, grain: grain)
        if chunks <= 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks, hi = count * (c + 1) / chunks
                if lo < hi { body(c, lo..<hi) }
            }
        }
    }

    /// Calls `body(i)` for every i in 0..<count, for loops whose items are each heavy
    /// (a channel, a batch row). Items are split into contiguous blocks, one per thread.
    @inline(__always)
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        forChunks(count, grain: 1) { r in for i in r { body(i) } }
    }
}
