import Foundation

/// A contiguous, 64-byte aligned Float32 buffer. Buffers come from and return to `BufferPool`,
/// so steady-state training steps reuse memory instead of calling malloc (and, for large
/// buffers, paying page faults on every fresh mmap).
public final class Storage {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    let capacity: Int
    /// A buffer that wraps foreign memory (e.g. an mmap'ed file) is not ours to recycle.
    private let release: (() -> Void)?

    init(count: Int) {
        let (p, cap) = BufferPool.shared.take(count)
        pointer = p
        self.count = count
        capacity = cap
        release = nil
    }

    /// Wraps memory owned elsewhere; `release` runs when the storage dies.
    public init(borrowing pointer: UnsafeMutablePointer<Float>, count: Int, release: @escaping () -> Void) {
        self.pointer = pointer
        self.count = count
        capacity = count
        self.release = release
    }

    deinit {
        if let release { release() } else { BufferPool.shared.give(pointer, capacity: capacity) }
    }
}

/// Size-bucketed cache of freed buffers (power-of-two capacities). Bounded so a workload
/// that changes shapes cannot hoard memory forever.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()
    private var free: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var cachedBytes = 0
    private let lock = NSLock()
    /// Upper bound on cached memory; frees beyond it go straight back to the system.
    var limitBytes = 2 << 30
    /// Buffers larger than this are never cached: at that size the page faults of a fresh
    /// allocation are small beside the work done on it, and caching them would pin gigabytes
    /// after a long-sequence pass (a 1M-token forward frees buffers of 0.5-1.5 GB).
    var largestCachedBytes = 256 << 20

    private static func bucket(_ n: Int) -> Int {
        if n <= 16 { return 16 }
        return 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount)
    }

    func take(_ count: Int) -> (UnsafeMutablePointer<Float>, Int) {
        let cap = Self.bucket(max(count, 1))
        lock.lock()
        if var list = free[cap], let p = list.popLast() {
            free[cap] = list
            cachedBytes -= cap * 4
            lock.unlock()
            return (p, cap)
        }
        lock.unlock()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: cap * 4, alignment: 64)
        return (raw.bindMemory(to: Float.self, capacity: cap), cap)
    }

    func give(_ p: UnsafeMutablePointer<Float>, capacity: Int) {
        lock.lock()
        if capacity * 4 <= largestCachedBytes && cachedBytes + capacity * 4 <= limitBytes {
            free[capacity, default: []].append(p)
            cachedBytes += capacity * 4
            lock.unlock()
            return
        }
        lock.unlock()
        UnsafeMutableRawPointer(p).deallocate()
    }

    /// Returns every cached buffer to the system.
    func trim() {
        lock.lock()
        let all = free.values.flatMap { $0 }
        free = [:]
        cachedBytes = 0
        lock.unlock()
        for p in all { UnsafeMutableRawPointer(p).deallocate() }
    }
}

public enum Memory {
    /// Frees the buffer cache (e.g. before measuring peak memory of a new phase).
    public static func trimCache() { BufferPool.shared.trim() }
}
