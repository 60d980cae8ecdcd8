import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A contiguous, 64-byte aligned Float32 buffer owned by one or more tensors.
///
/// Buffers come from `BufferPool`, which keeps freed buffers by size: training repeats the
/// same shapes every step, and reusing a buffer avoids the page faults of a fresh
/// allocation (a new 40 MB array costs 30–40 ms of faults against 4 ms for the op itself).
///
/// A storage may also hold its values in a oneDNN layout (`LayoutTwin`), when a oneDNN
/// primitive produced them there. The plain buffer is then filled only when something
/// reads `pointer`; a following oneDNN primitive that wants that same layout takes the
/// twin directly, so chains of convolutions skip the reorders to plain and back.
public final class TensorStorage: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int
    /// The values in a oneDNN layout, when an operation produced them there.
    private(set) var twin: LayoutTwin?
    /// Whether the plain buffer still waits for the twin's values.
    private var plainIsStale = false

    /// The first element of the plain row-major buffer (filled from the twin on first use).
    public var pointer: UnsafeMutablePointer<Float> {
        if plainIsStale { materializePlain() }
        return base
    }

    /// Uninitialised storage for `count` elements.
    init(uninitializedCount count: Int) {
        self.count = count
        self.base = BufferPool.shared.take(count: count)
    }

    /// Records that the values now live in `twin`; the plain buffer follows on demand.
    func attach(_ twin: LayoutTwin) {
        self.twin = twin
        plainIsStale = true
    }

    /// Makes the plain buffer current and forgets the twin, before an in-place write.
    func prepareForMutation() {
        if plainIsStale { materializePlain() }
        twin = nil
    }

    private func materializePlain() {
        DNNL.lock.withLock {
            guard plainIsStale, let twin else { return }
            twin.copyToPlain(base)
            plainIsStale = false
        }
    }

    /// Storage filled with `value`.
    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.update(repeating: value, count: count)
    }

    deinit { BufferPool.shared.give(base, count: count) }

    var buffer: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }
}

/// Size-keyed cache of freed buffers, bounded in total bytes and in age: a size not asked
/// for in the last `idleTakes` takes (the evaluation batches of an epoch's validation, a
/// shape used once) is given back, so a long run's memory follows what its loop uses.
final class BufferPool: Sendable {
    static let shared = BufferPool(maximumCachedBytes: 2 << 30)

    /// Takes after which an unused size's buffers are freed; swept every `sweepInterval` takes.
    static let idleTakes: UInt64 = 16_384, sweepInterval: UInt64 = 4_096

    private struct State {
        var free: [Int: [UInt]] = [:]  // addresses, so the state stays Sendable
        var cachedBytes = 0
        var clock: UInt64 = 0
        var lastTaken: [Int: UInt64] = [:]
    }
    private let state = Mutex(State())
    private let maximumCachedBytes: Int

    init(maximumCachedBytes: Int) { self.maximumCachedBytes = maximumCachedBytes }

    /// Small buffers are not worth pooling: malloc serves them from its own free lists.
    private static let minimumPooledCount = 1024

    /// Buffers of 16 MiB and more (a replay buffer, a whole dataset, a large batch's
    /// activations) are mapped from the system and unmapped when freed, not left to
    /// malloc: malloc raises its own mapping threshold after the first such free and then
    /// keeps them in its heap, so a JEM run's resident memory grew by a buffer's size at each
    /// new high-water mark instead of following what is live. They are pooled like the rest,
    /// so a loop reusing one pays the mapping's page faults once. The fuzzing build maps
    /// nothing: libFuzzer's allocation limit and AddressSanitizer's bounds see only malloc.
    #if JOULE_FUZZ
        static let mappedCount = Int.max
    #else
        static let mappedCount = 1 << 22
    #endif

    /// Counts, on the calling thread, the takes of pooled sizes (1,024 floats and more)
    /// that allocated a new buffer while `body` runs: a loop in its steady state adds none.
    /// Per thread, so work on other threads (tests running side by side) does not count.
    static func countingMisses(_ body: () throws -> Void) rethrows -> Int {
        let dictionary = Thread.current.threadDictionary
        let previous = dictionary[missesKey]
        dictionary[missesKey] = 0
        defer { dictionary[missesKey] = previous }
        try body()
        return dictionary[missesKey] as? Int ?? 0
    }

    private static let missesKey = "joule.bufferPool.misses"

    /// Adds a miss to the calling thread's count, when `countingMisses` is counting there.
    private static func noteMiss() {
        let dictionary = Thread.current.threadDictionary
        if let count = dictionary[missesKey] as? Int { dictionary[missesKey] = count + 1 }
    }

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        let size = max(count, 1)
        if size >= Self.minimumPooledCount {
            let (reused, idle): (UInt?, [(UInt, Int)]) = state.withLock { s in
                s.clock += 1
                s.lastTaken[size] = s.clock
                let idle = s.clock % Self.sweepInterval == 0 ? Self.removeIdle(&s) : []
                guard var list = s.free[size], let p = list.popLast() else { return (nil, idle) }
                s.free[size] = list
                s.cachedBytes -= size * 4
                return (p, idle)
            }
            for (address, idleSize) in idle { Self.release(address, count: idleSize) }
            // malloc keeps freed pages inside its heap; hand a megabyte or more back for real.
            if idle.reduce(0, { $0 + ($1.1 < Self.mappedCount ? $1.1 : 0) }) >= 1 << 18 { FreedMemory.release() }
            if let reused, let p = UnsafeMutablePointer<Float>(bitPattern: reused) { return p }
            Self.noteMiss()
        }
        if size >= Self.mappedCount {
            let bytes = size * MemoryLayout<Float>.stride
            let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let mapped, mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
                fatalError("cannot map \(bytes) bytes for a tensor: \(String(cString: strerror(errno)))")
            }
            return mapped.bindMemory(to: Float.self, capacity: size)
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size * 4, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: size)
    }

    /// Frees a buffer of `count` floats the way `take` got it.
    private static func release(_ address: UInt, count: Int) {
        guard let pointer = UnsafeMutableRawPointer(bitPattern: address) else { return }
        if count >= mappedCount {
            munmap(pointer, count * MemoryLayout<Float>.stride)
        } else {
            pointer.deallocate()
        }
    }

    /// Takes the cached buffers of every size idle for `idleTakes` out of the pool (the
    /// caller frees them, outside the lock); returns their addresses and sizes.
    private static func removeIdle(_ s: inout State) -> [(UInt, Int)] {
        var removed: [(UInt, Int)] = []
        for (size, last) in s.lastTaken where s.clock - last > idleTakes {
            for address in s.free[size] ?? [] { removed.append((address, size)) }
            s.free[size] = nil
            s.lastTaken[size] = nil
        }
        s.cachedBytes -= removed.reduce(0) { $0 + $1.1 * 4 }
        return removed
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let size = max(count, 1)
        let address = UInt(bitPattern: pointer)
        if size >= Self.minimumPooledCount {
            let kept = state.withLock { s -> Bool in
                guard s.cachedBytes + size * 4 <= maximumCachedBytes else { return false }
                if s.lastTaken[size] == nil { s.lastTaken[size] = s.clock }  // so an idle sweep sees it
                s.free[size, default: []].append(address)
                s.cachedBytes += size * 4
                return true
            }
            if kept { return }
        }
        Self.release(address, count: size)
    }
}

/// Memory the process no longer uses, handed back to the system.
public enum FreedMemory {
    /// Returns the free pages malloc holds inside its heap to the system (glibc's
    /// `malloc_trim`; a no-op elsewhere). Freed blocks below malloc's mapping threshold
    /// otherwise stay resident for good; worth calling after a burst of large temporaries.
    public static func release() {
        #if os(Linux)
            _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
    /// glibc's `malloc_trim` (declared in malloc.h, which Swift's Glibc module leaves out).
    @_silgen_name("malloc_trim")
    private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
