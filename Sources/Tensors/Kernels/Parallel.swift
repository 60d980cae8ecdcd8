import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Splits `0..<count` into contiguous chunks, one per loop thread, when the work is big
/// enough to pay for waking another thread. Chunks are fixed by `count`, so results are
/// deterministic whatever the timing.
@inline(__always)
func parallelChunks(
    _ count: Int, minimumPerChunk: Int = 1 << 16, threads: Int = Kernels.loopThreads,
    _ body: @Sendable (Range<Int>) -> Void
) {
    let chunks = min(threads, max(1, count / minimumPerChunk))
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
    /// Threads for OpenBLAS and oneDNN: the cores, or `JOULE_THREADS`.
    public static let threadCount: Int =
        environmentCount("JOULE_THREADS")
        ?? max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Threads for the engine's own elementwise loops: 1 unless `JOULE_LOOP_THREADS` says
    /// otherwise. Measured on 2 cores: after each oneDNN call its OpenMP workers spin for a
    /// while, and a second loop thread from Dispatch then fights them for the core —
    /// `cnn-s` forward + input-gradient took 102 ms with 2 loop threads against 70 ms
    /// with 1. The elementwise loops are memory-bound, so one thread loses little.
    public static let loopThreads: Int = environmentCount("JOULE_LOOP_THREADS") ?? 1

    /// Runs `body` over contiguous chunks of `0..<count` on up to `threads` threads — for
    /// long single passes outside the engine (optimiser updates), where a second thread
    /// pays off even against oneDNN's spinning workers.
    public static func forEachChunk(
        of count: Int, threads: Int = threadCount, minimumPerChunk: Int = 1 << 16,
        _ body: @Sendable (Range<Int>) -> Void
    ) {
        parallelChunks(count, minimumPerChunk: minimumPerChunk, threads: threads, body)
    }

    private static func environmentCount(_ name: String) -> Int? {
        guard let text = getenv(name), let n = Int(String(cString: text)), n >= 1 else { return nil }
        return n
    }
}
