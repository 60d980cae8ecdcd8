import Dispatch

/// Splits `0..<count` into contiguous chunks, one per core, when the work is big enough to
/// pay for waking a second thread. Chunks are fixed by `count`, so results are
/// deterministic whatever the timing.
@inline(__always)
func parallelChunks(_ count: Int, minimumPerChunk: Int = 1 << 16,
                    _ body: @Sendable (Range<Int>) -> Void) {
    let chunks = min(Kernels.threadCount, max(1, count / minimumPerChunk))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
        let start = count * c / chunks
        let end = count * (c + 1) / chunks
        body(start..<end)
    }
}

/// Settings shared by the kernels.
public enum Kernels {
    /// Threads used by the engine's own loops (OpenBLAS and oneDNN keep their own pools).
    public static let threadCount: Int = {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return max(1, Int(n))
    }()
}

#if canImport(Glibc)
import Glibc
#endif
