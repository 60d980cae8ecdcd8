import Synchronization

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

/// Size-keyed cache of freed buffers, bounded in total bytes.
final class BufferPool: Sendable {
    static let shared = BufferPool(maximumCachedBytes: 2 << 30)

    private struct State {
        var free: [Int: [UInt]] = [:]  // addresses, so the state stays Sendable
        var cachedBytes = 0
    }
    private let state = Mutex(State())
    private let maximumCachedBytes: Int

    init(maximumCachedBytes: Int) { self.maximumCachedBytes = maximumCachedBytes }

    /// Small buffers are not worth pooling: malloc serves them from its own free lists.
    private static let minimumPooledCount = 1024

    func take(count: Int) -> UnsafeMutablePointer<Float> {
        let size = max(count, 1)
        if size >= Self.minimumPooledCount {
            let reused: UInt? = state.withLock { s in
                guard var list = s.free[size], let p = list.popLast() else { return nil }
                s.free[size] = list
                s.cachedBytes -= size * 4
                return p
            }
            if let reused, let p = UnsafeMutablePointer<Float>(bitPattern: reused) { return p }
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: size * 4, alignment: 64)
        return raw.bindMemory(to: Float.self, capacity: size)
    }

    func give(_ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let size = max(count, 1)
        if size >= Self.minimumPooledCount {
            let address = UInt(bitPattern: pointer)
            let kept = state.withLock { s -> Bool in
                guard s.cachedBytes + size * 4 <= maximumCachedBytes else { return false }
                s.free[size, default: []].append(address)
                s.cachedBytes += size * 4
                return true
            }
            if kept { return }
        }
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
